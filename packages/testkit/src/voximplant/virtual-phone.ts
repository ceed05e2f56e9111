/**
 * How a virtual phone number behaves when the scenario dials it. Times are virtual milliseconds
 * (the stand-in scales them with its `timeScale`), so "no answer for 60 s" takes 60 ms in a test.
 */
export type PhoneAnswer =
  /** A person picks up; the detector says HUMAN. */
  | 'human'
  /** Voicemail picks up; the detector says VOICEMAIL. */
  | 'machine'
  /** A person picks up but the detector reaches no verdict before its timeout: TIMEOUT. */
  | 'amd-timeout'
  /** Picked up and dropped at once, during detection: CALL_ENDED. */
  | 'drops'
  /** Rings until the platform gives up: Failed 408. */
  | 'no-answer'
  /** Failed 486. */
  | 'busy'
  /** Switched off or out of reach: Failed 480. */
  | 'switched-off'
  /** No such number: Failed 404. */
  | 'not-exist'
  /**
   * Our account has no money: Failed 402 "Insufficient funds" (the code and text CallEvents.Failed
   * lists in Voximplant's VoxEngine typings, voximplant/voxengine-ci typings/voxengine.d.ts).
   */
  | 'no-funds'
  /** The platform will not place this call (caller id, blocked destination): Failed 403 (RFC 3261). */
  | 'forbidden'
  /** Any other failure before answer, e.g. `{ failWith: 503, reason: 'Service Unavailable' }`. */
  | { readonly failWith: number; readonly reason?: string };

export interface VirtualPhone {
  readonly answer: PhoneAnswer;
  /** Ringing before the answer or the failure. Default 3 s (60 s for 'no-answer', 0.5 s for a failure). */
  readonly ringMs?: number;
  /** Connected → the detector's verdict. Default 1.5 s. */
  readonly amdMs?: number;
  /** The detector fails (AMD.Events.DetectionError) instead of reaching a verdict. */
  readonly amdError?: boolean;
  /** The callee hangs up this long after answering (default: a person listens to the end; a machine records 30 s). */
  readonly hangUpAfterMs?: number;
  /** Each recording or TTS text plays this long. Default 4 s. */
  readonly playbackMs?: number;
  /**
   * Nothing plays: every recording or TTS text ends at once with this `error` on
   * `CallEvents.PlaybackFinished` (the event's optional field in VoxEngine's typings), as a dead
   * recording URL or a failing TTS engine does.
   */
  readonly playbackError?: string;
  /**
   * The session is lost as soon as the call ends (the platform's "Internal error"), so the
   * scenario never posts its result: the engine must reconcile through call history.
   */
  readonly loseSession?: boolean;
}

/** Named behaviours for the common cases; `phones: { '79160000001': 'busy' }`. */
export const PHONE_PRESETS = {
  answers: { answer: 'human' },
  'answering-machine': { answer: 'machine' },
  'no-answer': { answer: 'no-answer' },
  busy: { answer: 'busy' },
  'switched-off': { answer: 'switched-off' },
  'does-not-exist': { answer: 'not-exist' },
  'never-calls-back': { answer: 'human', loseSession: true },
  'slow-to-answer': { answer: 'human', ringMs: 45_000 },
  'amd-timeout': { answer: 'amd-timeout' },
  'hangs-up-mid-message': { answer: 'human', hangUpAfterMs: 5_000 },
  drops: { answer: 'drops' },
  'insufficient-funds': { answer: 'no-funds' },
  'call-forbidden': { answer: 'forbidden' },
  'message-fails': { answer: 'human', playbackError: 'Failed to load the media file' },
} as const satisfies Record<string, VirtualPhone>;
export type PhonePreset = keyof typeof PHONE_PRESETS;

export function resolvePhone(phone: VirtualPhone | PhonePreset | undefined): VirtualPhone {
  if (phone === undefined) return PHONE_PRESETS.answers;
  return typeof phone === 'string' ? PHONE_PRESETS[phone] : phone;
}

/** The SIP code and reason of a failing behaviour, or null when the phone answers. */
export function failureOf(answer: PhoneAnswer): { code: number; reason: string } | null {
  if (typeof answer === 'object') return { code: answer.failWith, reason: answer.reason ?? 'Failed' };
  switch (answer) {
    case 'no-answer':
      return { code: 408, reason: 'Request Timeout' };
    case 'busy':
      return { code: 486, reason: 'Busy Here' };
    case 'switched-off':
      return { code: 480, reason: 'Temporarily Unavailable' };
    case 'not-exist':
      return { code: 404, reason: 'Not Found' };
    case 'no-funds':
      return { code: 402, reason: 'Insufficient funds' };
    case 'forbidden':
      return { code: 403, reason: 'Forbidden' };
    default:
      return null;
  }
}
