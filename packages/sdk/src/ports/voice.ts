import type { CallOptions } from './call-options.js';
import type { CallOutcome } from './crm.js';

/** The telephony provider (Voximplant): starts our callback scenario and reports what happened. */
export interface VoicePort {
  /**
   * Starts one call. `key` names the attempt (`lead:<id>:dial:<n>`); the provider gets only a
   * short reference to it, never the phone or a secret in clear custom data.
   */
  startCall(request: StartCallRequest, options?: CallOptions): Promise<{ sessionId: string }>;
  /** What the provider knows of the call started under `key`: for a result that never came. */
  findCall(key: string, options?: CallOptions): Promise<CallReport | null>;
  /**
   * The provider's HTTP callbacks, when it has any (Voximplant's scenario fetches its call plan
   * and posts its signed result): verifies the request and hands results to `deliver`. The shop
   * mounts it on one route; the SDK never sees the provider's formats.
   */
  handleCallback?(request: Request, deliver: DeliverCallResult): Promise<Response>;
  /**
   * True when the provider calls the shop back for every call (Voximplant's scenario cannot dial
   * without its plan): `createProzvon` then refuses a port without `handleCallback`, at start,
   * rather than let the first call's callback be answered 404.
   */
  readonly needsCallbacks?: boolean;
}

/** A call's result as the engine takes it (`LeadEngine.deliver`). */
export interface CallResultEvent {
  readonly type: 'CALL_RESULT';
  readonly at: number;
  readonly attempt: number;
  readonly report: CallReport;
}

export type DeliverCallResult = (leadId: string, event: CallResultEvent) => Promise<unknown>;

export const VoicePort = Symbol.for('prozvon.VoicePort');

export interface StartCallRequest {
  readonly key: string;
  readonly leadId: string;
  readonly attempt: number;
  readonly phone: string;
  readonly scenarioId: string;
  readonly callerId: string;
  readonly customerName: string;
}

/** The result of one call attempt, as the scenario reports it (or call history shows it). */
export interface CallReport {
  readonly key: string;
  readonly outcome: CallOutcome;
  readonly durationSec: number;
  readonly failureCode?: number;
  /** The provider's own words about a failure (`refused`: "insufficient funds"; `unheard`: the playback error). */
  readonly detail?: string;
  readonly amd?: string;
  readonly recordingUrl?: string;
}
