import {
  type CallOptions,
  type CallRecord,
  type CallReport,
  type CrmLeadRef,
  type CrmLeadRequest,
  type CrmPartner,
  type CrmPort,
  type Notice,
  type NotifierPort,
  type SmsMessage,
  type SmsPort,
  type SmsReceipt,
  type StartCallRequest,
  TransientError,
  type VoicePort,
} from '../ports/index.js';

/**
 * In-process doubles of the four ports for the engine's own tests, the benchmark and the console
 * demo. They record what they receive and answer as configured; `fail` lets a test make the next
 * calls throw a given error, and `delayMs` holds each call that long (or until its signal aborts,
 * as a hung request would be abandoned: a TransientError). They are doubles, not simulators: the
 * real wire formats are tested against the testkit's loopback servers.
 */
abstract class Recording {
  #failures: { method: string; error: Error }[] = [];
  readonly #hangs = new Map<string, number>();
  delayMs = 0;

  /** The next `times` calls of `method` throw `error`. */
  fail(method: string, error: Error, times = 1): void {
    for (let i = 0; i < times; i++) this.#failures.push({ method, error });
  }

  /**
   * The next `times` calls of `method` never answer: a hung request. They end only when the
   * caller's signal aborts (with a TransientError, as an adapter's would).
   */
  hang(method: string, times = 1): void {
    this.#hangs.set(method, (this.#hangs.get(method) ?? 0) + times);
  }

  protected async enter(method: string, options?: CallOptions): Promise<void> {
    const signal = options?.signal;
    const hangs = this.#hangs.get(method) ?? 0;
    if (hangs > 0) {
      this.#hangs.set(method, hangs - 1);
      await new Promise((_, reject) => {
        if (signal?.aborted) reject(deadlinePassed(method, signal));
        signal?.addEventListener('abort', () => reject(deadlinePassed(method, signal)), { once: true });
      });
    }
    if (this.delayMs > 0) await abortableDelay(this.delayMs, signal, method);
    if (signal?.aborted) throw deadlinePassed(method, signal);
    const index = this.#failures.findIndex((failure) => failure.method === method);
    if (index === -1) return;
    const [failure] = this.#failures.splice(index, 1);
    if (failure) throw failure.error;
  }
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
function abortableDelay(ms: number, signal: AbortSignal | undefined, method: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(deadlinePassed(method, signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(deadlinePassed(method, signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function deadlinePassed(method: string, signal: AbortSignal): TransientError {
  return new TransientError(`recording double: ${method} abandoned, its deadline passed`, {
    cause: signal.reason,
  });
}

export class RecordingCrm extends Recording implements CrmPort {
  readonly partners = new Map<string, CrmPartner>();
  readonly leads = new Map<string, CrmLeadRequest & { id: string }>();
  /** Every createLead call, including repeats: a repeat must not add a lead. */
  readonly createCalls: string[] = [];
  readonly calls: { crmLeadId: string; record: CallRecord }[] = [];
  readonly noAnswers: { crmLeadId: string; record: CallRecord }[] = [];
  #nextId = 100;

  async findPartner(code: string, options?: CallOptions): Promise<CrmPartner | null> {
    await this.enter('findPartner', options);
    return this.partners.get(code) ?? null;
  }

  async createLead(request: CrmLeadRequest, options?: CallOptions): Promise<CrmLeadRef> {
    await this.enter('createLead', options);
    this.createCalls.push(request.key);
    const existing = this.leads.get(request.key);
    if (existing) return { id: existing.id };
    const id = String(this.#nextId++);
    this.leads.set(request.key, { ...request, id });
    return { id, url: `https://crm.example/crm/lead/details/${id}/` };
  }

  async findLeadByKey(key: string, options?: CallOptions): Promise<CrmLeadRef | null> {
    await this.enter('findLeadByKey', options);
    const lead = this.leads.get(key);
    return lead ? { id: lead.id } : null;
  }

  async markNoAnswer(crmLeadId: string, record: CallRecord, options?: CallOptions): Promise<void> {
    await this.enter('markNoAnswer', options);
    this.noAnswers.push({ crmLeadId, record });
  }

  async recordCall(crmLeadId: string, record: CallRecord, options?: CallOptions): Promise<void> {
    await this.enter('recordCall', options);
    this.calls.push({ crmLeadId, record });
  }
}

export class RecordingVoice extends Recording implements VoicePort {
  readonly started: StartCallRequest[] = [];
  /**
   * What call history says, by dial key (set by a test to exercise reconciliation). A call this
   * double started and the test said nothing of is in history as rung and not answered (`nodial`),
   * as a real provider's would be; a call never started is not in it at all (null).
   */
  readonly history = new Map<string, CallReport>();
  /** Called after a call is accepted: a test or the demo uses it to deliver the result later. */
  onStart: ((request: StartCallRequest) => void) | undefined;

  async startCall(request: StartCallRequest, options?: CallOptions): Promise<{ sessionId: string }> {
    await this.enter('startCall', options);
    this.started.push(request);
    this.onStart?.(request);
    return { sessionId: `session-${this.started.length}` };
  }

  async findCall(key: string, options?: CallOptions): Promise<CallReport | null> {
    await this.enter('findCall', options);
    const known = this.history.get(key);
    if (known !== undefined) return known;
    return this.started.some((call) => call.key === key) ? { key, outcome: 'nodial', durationSec: 0 } : null;
  }
}

export class RecordingSms extends Recording implements SmsPort {
  readonly sent: SmsMessage[] = [];

  async send(message: SmsMessage, options?: CallOptions): Promise<SmsReceipt> {
    await this.enter('send', options);
    this.sent.push(message);
    return { provider: 'recording', messageId: String(this.sent.length), segments: 1 };
  }
}

export class RecordingNotifier extends Recording implements NotifierPort {
  readonly notices: Notice[] = [];

  async notify(notice: Notice, options?: CallOptions): Promise<void> {
    await this.enter('notify', options);
    this.notices.push(notice);
  }
}
