import type {
  CallRecord,
  CallReport,
  CrmLeadRef,
  CrmLeadRequest,
  CrmPartner,
  CrmPort,
  Notice,
  NotifierPort,
  SmsMessage,
  SmsPort,
  SmsReceipt,
  StartCallRequest,
  VoicePort,
} from '../ports/index.js';

/**
 * In-process doubles of the four ports for the engine's own tests, the benchmark and the console
 * demo. They record what they receive and answer as configured; `fail` lets a test make the next
 * calls throw a given error. They are doubles, not simulators: the real wire formats are tested
 * against the testkit's loopback servers.
 */
abstract class Recording {
  #failures: { method: string; error: Error }[] = [];
  delayMs = 0;

  /** The next `times` calls of `method` throw `error`. */
  fail(method: string, error: Error, times = 1): void {
    for (let i = 0; i < times; i++) this.#failures.push({ method, error });
  }

  protected async enter(method: string): Promise<void> {
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const index = this.#failures.findIndex((failure) => failure.method === method);
    if (index === -1) return;
    const [failure] = this.#failures.splice(index, 1);
    if (failure) throw failure.error;
  }
}

export class RecordingCrm extends Recording implements CrmPort {
  readonly partners = new Map<string, CrmPartner>();
  readonly leads = new Map<string, CrmLeadRequest & { id: string }>();
  /** Every createLead call, including repeats: a repeat must not add a lead. */
  readonly createCalls: string[] = [];
  readonly calls: { crmLeadId: string; record: CallRecord }[] = [];
  readonly noAnswers: { crmLeadId: string; record: CallRecord }[] = [];
  #nextId = 100;

  async findPartner(code: string): Promise<CrmPartner | null> {
    await this.enter('findPartner');
    return this.partners.get(code) ?? null;
  }

  async createLead(request: CrmLeadRequest): Promise<CrmLeadRef> {
    await this.enter('createLead');
    this.createCalls.push(request.key);
    const existing = this.leads.get(request.key);
    if (existing) return { id: existing.id };
    const id = String(this.#nextId++);
    this.leads.set(request.key, { ...request, id });
    return { id, url: `https://crm.example/crm/lead/details/${id}/` };
  }

  async findLeadByKey(key: string): Promise<CrmLeadRef | null> {
    await this.enter('findLeadByKey');
    const lead = this.leads.get(key);
    return lead ? { id: lead.id } : null;
  }

  async markNoAnswer(crmLeadId: string, record: CallRecord): Promise<void> {
    await this.enter('markNoAnswer');
    this.noAnswers.push({ crmLeadId, record });
  }

  async recordCall(crmLeadId: string, record: CallRecord): Promise<void> {
    await this.enter('recordCall');
    this.calls.push({ crmLeadId, record });
  }
}

export class RecordingVoice extends Recording implements VoicePort {
  readonly started: StartCallRequest[] = [];
  /** What call history says, by dial key (set by a test to exercise reconciliation). */
  readonly history = new Map<string, CallReport>();
  /** Called after a call is accepted: a test or the demo uses it to deliver the result later. */
  onStart: ((request: StartCallRequest) => void) | undefined;

  async startCall(request: StartCallRequest): Promise<{ sessionId: string }> {
    await this.enter('startCall');
    this.started.push(request);
    this.onStart?.(request);
    return { sessionId: `session-${this.started.length}` };
  }

  async findCall(key: string): Promise<CallReport | null> {
    await this.enter('findCall');
    return this.history.get(key) ?? null;
  }
}

export class RecordingSms extends Recording implements SmsPort {
  readonly sent: SmsMessage[] = [];

  async send(message: SmsMessage): Promise<SmsReceipt> {
    await this.enter('send');
    this.sent.push(message);
    return { provider: 'recording', messageId: String(this.sent.length), segments: 1 };
  }
}

export class RecordingNotifier extends Recording implements NotifierPort {
  readonly notices: Notice[] = [];

  async notify(notice: Notice): Promise<void> {
    await this.enter('notify');
    this.notices.push(notice);
  }
}
