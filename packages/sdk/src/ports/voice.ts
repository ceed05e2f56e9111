import type { CallOutcome } from './crm.js';

/** The telephony provider (Voximplant): starts our callback scenario and reports what happened. */
export interface VoicePort {
  /**
   * Starts one call. `key` names the attempt (`lead:<id>:dial:<n>`); the provider gets only a
   * short reference to it, never the phone or a secret in clear custom data.
   */
  startCall(request: StartCallRequest): Promise<{ sessionId: string }>;
  /** What the provider knows of the call started under `key`: for a result that never came. */
  findCall(key: string): Promise<CallReport | null>;
}

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
  readonly amd?: string;
  readonly recordingUrl?: string;
}
