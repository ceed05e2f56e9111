// Port doubles for the crash harness. Each one keeps what a real service would keep (the CRM its
// leads by ORIGIN_ID, the telephony provider its call history) in the durable log, so a restarted
// engine meets the same world it left, and the harness can count what was received twice.

export class DurableCrm {
  constructor(log) {
    this.log = log;
  }
  async findPartner(code) {
    return code === 'PARTNER42' ? { id: '7', name: 'Partner 42', entity: 'company' } : null;
  }
  async createLead(request) {
    // Like the Bitrix24 adapter: look the key up first, so a repeat after a crash adds nothing.
    const existing = this.log.find('crm-lead', request.key);
    if (existing) return { id: existing[2] };
    const id = String(this.log.count('crm-lead') + 1);
    this.log.append('crm-lead', request.key, id);
    return { id };
  }
  async findLeadByKey(key) {
    const existing = this.log.find('crm-lead', key);
    return existing ? { id: existing[2] } : null;
  }
  async markNoAnswer(crmLeadId, record) {
    this.log.append('crm-no-answer', record.key, crmLeadId);
  }
  async recordCall(crmLeadId, record) {
    this.log.append('crm-call', record.key, crmLeadId, record.outcome);
  }
}

/** What the virtual customer does, by the last digit of the phone. */
export function behaviour(phone, attempt) {
  const digit = Number(phone.at(-1));
  if (digit <= 3) return { outcome: 'answered', callback: true };
  if (digit === 4) return { outcome: 'machine', callback: true };
  if (digit === 5) return { outcome: 'nodial', callback: true };
  if (digit === 6) return { outcome: attempt === 1 ? 'nodial' : 'answered', callback: true };
  if (digit === 7) return { outcome: 'invalid', callback: true };
  if (digit === 8) return { outcome: 'answered', callback: false }; // only call history knows
  return { outcome: null, callback: false }; // nothing anywhere: the lead goes to manual
}

export class DurableVoice {
  constructor(log, deliver) {
    this.log = log;
    this.deliver = deliver;
  }
  async startCall(request) {
    this.log.append('dial', request.key, request.leadId);
    const { outcome, callback } = behaviour(request.phone, request.attempt);
    if (outcome !== null) this.log.append('history', request.key, outcome);
    if (callback && outcome !== null) {
      setTimeout(() => this.deliver(request, outcome), 1 + Math.floor(Math.random() * 40));
    }
    return { sessionId: `s-${request.key}` };
  }
  async findCall(key) {
    const entry = this.log.find('history', key);
    return entry ? { key, outcome: entry[2], durationSec: 7 } : null;
  }
}

export class DurableSms {
  constructor(log) {
    this.log = log;
  }
  async send(message) {
    this.log.append('sms', message.key);
    return { provider: 'durable', messageId: message.key, segments: 1 };
  }
}

export class DurableNotifier {
  constructor(log) {
    this.log = log;
  }
  async notify(notice) {
    this.log.append('notify', notice.key);
  }
}
