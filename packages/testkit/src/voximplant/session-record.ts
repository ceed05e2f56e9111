/** What the stand-in records of one scenario session: the simulator's state and call history read it. */
export interface VirtualCallRecord {
  readonly callId: string;
  readonly number: string;
  readonly callerId: string;
  readonly startedAt: number;
  connectedAt: number | null;
  endedAt: number | null;
  /** The callee answered (a person or a machine). */
  successful: boolean;
  durationSec: number;
  failureCode: number | null;
  endReason: string | null;
  amdVerdict: string | null;
  /** Recording URLs and `tts:<voice>:<text>` entries, in the order they started. */
  readonly played: string[];
  /** What failed to play, as `<item> → <error>` (PlaybackFinished with an `error`). */
  readonly failedPlays: string[];
  /** Who ended an answered call. */
  hungUpBy: 'scenario' | 'callee' | null;
}

export interface HttpRecord {
  readonly at: number;
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | null;
  /** The HTTP status, or VoxEngine's negative code (-3 host not found, -4 connection, -7 timeout). */
  code: number;
  responseText: string | null;
}

export interface SessionRecord {
  readonly sessionId: number;
  readonly customData: string;
  readonly startedAt: number;
  endedAt: number | null;
  /** VoxEngine's finish reasons: 'Normal termination', 'JS session error', 'Internal error', 'Timeout'. */
  finishReason: string | null;
  readonly calls: VirtualCallRecord[];
  readonly requests: HttpRecord[];
  readonly log: string[];
}
