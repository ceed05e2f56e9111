// Port doubles for the crash harness. Each one keeps what a real service would keep (the CRM its
// leads by ORIGIN_ID, the telephony provider its call history) in the durable log, so a restarted
// engine meets the same world it left, and the harness can count what was received twice.

import { PermanentError } from '../../dist/index.js';

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
  // Rang, but no result and a call history that cannot be read: the lead goes to manual.
  return { outcome: null, callback: false };
}

/** Call states after which no dial may reach the provider (defect 1: a dial held back past the
 *  callback timeout once rang a customer whose lead had gone to the sellers). */
const FINAL_CALL_STATES = new Set(['call.manual', 'call.answered', 'call.machine', 'call.invalid']);

export class DurableVoice {
  /**
   * `callStateOf(leadId)` reads the lead's stored call state as the request arrives; `now()` is the
   * engine's (simulated) clock, logged with each call placed.
   */
  constructor(log, deliver, callStateOf = () => undefined, now = () => 0) {
    this.log = log;
    this.deliver = deliver;
    this.callStateOf = callStateOf;
    this.now = now;
  }
  async startCall(request) {
    const state = this.callStateOf(request.leadId);
    if (FINAL_CALL_STATES.has(state)) this.log.append('dial-after-final', request.key, state);
    this.log.append('dial', request.key, request.leadId, this.now());
    const { outcome, callback } = behaviour(request.phone, request.attempt);
    if (outcome !== null) this.log.append('history', request.key, outcome);
    // The call is placed; StartScenarios takes a moment to answer. With one call of the shop at a
    // time, the last leads of a burst wait in the queue longer than the callback timeout.
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 30)));
    if (callback && outcome !== null) {
      setTimeout(() => this.deliver(request, outcome), 1 + Math.floor(Math.random() * 40));
    }
    return { sessionId: `s-${request.key}` };
  }
  /**
   * As a provider's history is: a call placed is in it (or, for the last digit 9, history cannot
   * be read); a call never placed (its dial killed before the request left) is not, and the engine
   * dials again.
   */
  async findCall(key) {
    const entry = this.log.find('history', key);
    if (entry) return { key, outcome: entry[2], durationSec: 7 };
    if (this.log.find('dial', key)) throw new PermanentError('call history is unavailable');
    return null;
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
