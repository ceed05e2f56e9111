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
  delayMs = 0;

  /** The next `times` calls of `method` throw `error`. */
  fail(method: string, error: Error, times = 1): void {
    for (let i = 0; i < times; i++) this.#failures.push({ method, error });
  }

  protected async enter(method: string, options?: CallOptions): Promise<void> {
    const signal = options?.signal;
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
  /** What call history says, by dial key (set by a test to exercise reconciliation). */
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
    return this.history.get(key) ?? null;
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
