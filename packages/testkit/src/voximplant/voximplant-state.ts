import type { HttpRecord, SessionRecord, VirtualCallRecord } from './session-record.js';
import type { StandinSession } from './voxengine-standin.js';

export interface SimScenarioSession {
  readonly sessionId: number;
  readonly ruleId: number;
  readonly ruleName: string;
  readonly applicationId: number;
  /** Full name, `<short>.<account>.voximplant.com`. */
  readonly applicationName: string;
  readonly customData: string;
  readonly accessToken: string;
  readonly standin: StandinSession;
  readonly record: SessionRecord;
}

export interface ApiRequestRecord {
  readonly at: number;
  readonly method: string;
  readonly params: Record<string, string>;
  /** `result` or the error code answered. */
  readonly answer: 'ok' | number;
}

/** What the Voximplant simulator received and what its scenarios did, for tests and the state page. */
export class VoximplantState {
  readonly sessions: SimScenarioSession[] = [];
  readonly apiRequests: ApiRequestRecord[] = [];

  session(sessionId: number): SimScenarioSession | undefined {
    return this.sessions.find((s) => s.sessionId === sessionId);
  }

  /** Every call the scenarios placed, in order. */
  get calls(): (VirtualCallRecord & { sessionId: number })[] {
    return this.sessions.flatMap((s) => s.record.calls.map((call) => ({ ...call, sessionId: s.sessionId })));
  }

  /** Every HTTP request the scenarios made (plan fetches and result callbacks), in order. */
  get callbacks(): (HttpRecord & { sessionId: number })[] {
    return this.sessions.flatMap((s) => s.record.requests.map((r) => ({ ...r, sessionId: s.sessionId })));
  }

  /** Resolves when every session started so far has ended. */
  async settled(): Promise<SessionRecord[]> {
    return Promise.all(this.sessions.map((s) => s.standin.done));
  }
}
