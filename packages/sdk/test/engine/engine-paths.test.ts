import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DuplicateLeadError } from '../../src/engine/index.js';
import { InvalidLeadError } from '../../src/lead/index.js';
import { AuthError, PermanentError, RateLimitedError, TransientError } from '../../src/ports/index.js';
import { customer, DAYTIME, MINUTE, NIGHT, startEngine, useStore } from './harness.js';

type Harness = Awaited<ReturnType<typeof startEngine>>;
let h: Harness;
afterEach(async () => {
  await h?.engine.stop();
  await h?.store.close();
});

describe.each(['memory', 'sqlite'] as const)('engine on the %s store: the paths of a lead', (kind) => {
  beforeAll(() => useStore(kind));

  it('answered: dials at once, confirms by SMS, creates the CRM lead once and records the call on it', async () => {
    h = await startEngine();
    h.crm.partners.set('PARTNER42', { id: '7', name: 'Блогер Иван', entity: 'company' });
    h.answerCalls('answered');
    const { leadId, state } = await h.engine.submitLead({
      ...customer,
      partnerCode: 'PARTNER42',
      orderSum: 990,
    });
    expect(state).toBe('call.dialing');
    const lead = await h.lead(leadId);
    expect([lead.crmState, lead.callState, lead.finished]).toEqual(['crm.created', 'call.answered', true]);
    expect(h.voice.started).toHaveLength(1);
    expect(h.voice.started[0]).toMatchObject({
      phone: '+79161234567',
      attempt: 1,
      key: `lead:${leadId}:dial:1`,
    });
    expect(h.crm.createCalls).toEqual([`prozvon:${leadId}`]);
    const [crmLead] = h.crm.leads.values();
    expect(crmLead?.partner?.name).toBe('Блогер Иван');
    expect(h.crm.calls).toEqual([
      {
        crmLeadId: crmLead?.id,
        record: expect.objectContaining({ attempt: 1, outcome: 'answered', durationSec: 21 }),
      },
    ]);
    expect(h.sms.sent.map((sms) => sms.key)).toEqual([`lead:${leadId}:sms:answered`]);
    expect(h.notifier.notices.map((notice) => notice.kind)).toEqual(['newLead']);
    expect(h.notifier.notices[0]).toMatchObject({ partner: 'Блогер Иван', orderSum: 990 });
  });

  it('machine: one SMS and no more calls', async () => {
    h = await startEngine();
    h.answerCalls('machine');
    const { leadId } = await h.engine.submitLead(customer);
    await h.clock.advance(3 * 60 * MINUTE);
    const lead = await h.lead(leadId);
    expect(lead.callState).toBe('call.machine');
    expect(h.voice.started).toHaveLength(1);
    expect(h.sms.sent.map((sms) => sms.key)).toEqual([`lead:${leadId}:sms:machine`]);
  });

  it('invalid phone: never dialled, no SMS', async () => {
    h = await startEngine();
    const { leadId, state } = await h.engine.submitLead({ ...customer, phone: '12345' });
    expect(state).toBe('call.invalid');
    const lead = await h.lead(leadId);
    expect(lead).toMatchObject({ crmState: 'crm.created', callState: 'call.invalid', finished: true });
    expect(h.voice.started).toHaveLength(0);
    expect(h.sms.sent).toHaveLength(0);
  });

  it('night: one night SMS, then the call exactly when the window opens', async () => {
    h = await startEngine({ at: NIGHT });
    h.answerCalls('answered');
    const { leadId, state } = await h.engine.submitLead(customer);
    expect(state).toBe('call.night');
    const waiting = await h.lead(leadId);
    const nineMoscow = Date.parse('2026-11-26T06:00:00Z');
    expect(waiting.wakeAt).toBe(nineMoscow);
    expect(h.sms.sent.map((sms) => sms.key)).toEqual([`lead:${leadId}:sms:night`]);
    await h.clock.advanceTo(nineMoscow - 1);
    expect(h.voice.started).toHaveLength(0);
    await h.clock.advanceTo(nineMoscow);
    expect(h.voice.started).toHaveLength(1);
    expect((await h.lead(leadId)).callState).toBe('call.answered');
    expect(h.sms.sent.map((sms) => sms.key)).toEqual([
      `lead:${leadId}:sms:night`,
      `lead:${leadId}:sms:answered`,
    ]);
  });

  it('nodial: no answer is marked, retried every 30 minutes, then manual after 3 attempts', async () => {
    h = await startEngine();
    h.answerCalls('nodial');
    const { leadId } = await h.engine.submitLead(customer);
    await h.settle();
    expect(h.voice.started).toHaveLength(1);
    await h.clock.advance(30 * MINUTE);
    expect(h.voice.started).toHaveLength(2);
    await h.clock.advance(30 * MINUTE);
    expect(h.voice.started).toHaveLength(3);
    await h.clock.advance(5 * 60 * MINUTE);
    const lead = await h.lead(leadId);
    expect([lead.callState, lead.finished]).toEqual(['call.manual', true]);
    expect(h.voice.started.map((call) => call.key)).toEqual([1, 2, 3].map((n) => `lead:${leadId}:dial:${n}`));
    expect(h.crm.noAnswers.map((write) => write.record.attempt)).toEqual([1, 2, 3]);
    expect(h.crm.calls.map((write) => write.record.attempt)).toEqual([1, 2, 3]);
    expect(h.notifier.notices.map((notice) => notice.kind)).toEqual(['newLead', 'manual']);
    expect(h.sms.sent).toHaveLength(0);
  });

  it('nodial then answered on the retry', async () => {
    h = await startEngine();
    h.answerCalls('nodial', 'answered');
    const { leadId } = await h.engine.submitLead(customer);
    await h.clock.advance(30 * MINUTE);
    expect((await h.lead(leadId)).callState).toBe('call.answered');
    expect(h.crm.calls.map((write) => write.record.outcome)).toEqual(['nodial', 'answered']);
  });

  it('no callback: reconciles with call history at the timeout, then manual when it cannot be read', async () => {
    h = await startEngine();
    h.voice.fail('findCall', new PermanentError('call history is down'));
    const { leadId } = await h.engine.submitLead(customer);
    await h.clock.advance(5 * MINUTE - 1);
    expect((await h.lead(leadId)).callState).toBe('call.awaitingResult');
    await h.clock.advance(1);
    const lead = await h.lead(leadId);
    expect(lead.callState).toBe('call.manual');
    expect(h.crm.calls.map((write) => write.record.outcome)).toEqual(['unknown']);
    expect(h.notifier.notices.map((notice) => notice.kind)).toContain('manual');
  });

  it('no callback, but call history knows the outcome', async () => {
    h = await startEngine();
    const { leadId } = await h.engine.submitLead(customer);
    h.voice.history.set(`lead:${leadId}:dial:1`, {
      key: `lead:${leadId}:dial:1`,
      outcome: 'answered',
      durationSec: 9,
    });
    await h.clock.advance(5 * MINUTE);
    expect((await h.lead(leadId)).callState).toBe('call.answered');
    expect(h.sms.sent).toHaveLength(1);
  });

  it('a late or duplicate callback is answered with a typed outcome and changes nothing', async () => {
    h = await startEngine();
    const { leadId } = await h.engine.submitLead(customer);
    await h.settle();
    const [call] = h.voice.started;
    if (!call) throw new Error('no call');
    expect(await h.deliverResult(call, 'answered')).toMatchObject({
      outcome: 'applied',
      callState: 'call.answered',
    });
    expect(await h.deliverResult(call, 'answered')).toEqual({ outcome: 'ignored', reason: 'duplicate' });
    expect(await h.deliverResult({ ...call, leadId: 'no-such-lead' }, 'answered')).toEqual({
      outcome: 'unknown_lead',
    });
    expect(h.sms.sent).toHaveLength(1);
    const audit = await h.store.getAudit(leadId);
    expect(audit.filter((entry) => entry.type === 'rejected')).toHaveLength(1);
    // The callback about a lead that does not exist is on record under the id it named.
    expect(await h.store.getAudit('no-such-lead')).toEqual([
      expect.objectContaining({
        leadId: 'no-such-lead',
        type: 'rejected',
        key: 'attempt:1',
        detail: expect.objectContaining({ event: 'CALL_RESULT', reason: 'unknown_lead' }),
      }),
    ]);
  });

  it('a result after the timeout sent the lead to manual is late', async () => {
    h = await startEngine();
    h.voice.fail('findCall', new PermanentError('call history is down'));
    const { leadId } = await h.engine.submitLead(customer);
    await h.clock.advance(6 * MINUTE);
    const [call] = h.voice.started;
    if (!call) throw new Error('no call');
    expect(await h.deliverResult(call, 'answered')).toEqual({ outcome: 'ignored', reason: 'late' });
    expect((await h.lead(leadId)).callState).toBe('call.manual');
  });

  it('CRM transient and rate-limit errors are retried with back-off, never manual', async () => {
    h = await startEngine();
    h.answerCalls('answered');
    h.crm.fail('createLead', new TransientError('ECONNRESET'), 3);
    h.crm.fail('createLead', new RateLimitedError('QUERY_LIMIT_EXCEEDED', 2_000));
    const { leadId } = await h.engine.submitLead(customer);
    expect((await h.lead(leadId)).crmState).toBe('crm.creating');
    await h.clock.advance(60_000);
    const lead = await h.lead(leadId);
    expect(lead.crmState).toBe('crm.created');
    expect(h.crm.leads.size).toBe(1);
    // The call did not wait for the CRM; its outcome was written once the CRM lead existed.
    expect(h.crm.calls.map((write) => write.record.outcome)).toEqual(['answered']);
    const effects = await h.store.getEffects(leadId);
    expect(effects.find((effect) => effect.kind === 'createCrmLead')?.attempts).toBe(5);
  });

  it('CRM authorisation failure: crm.manual, sellers told, and the call still happens', async () => {
    h = await startEngine();
    h.answerCalls('answered');
    h.crm.fail('createLead', new AuthError('invalid_grant'));
    const { leadId } = await h.engine.submitLead(customer);
    const lead = await h.lead(leadId);
    expect([lead.crmState, lead.callState, lead.finished]).toEqual(['crm.manual', 'call.answered', true]);
    expect(h.notifier.notices.map((notice) => notice.kind)).toEqual(['crmFailed']);
    expect(h.voice.started).toHaveLength(1);
  });

  it('refuses a second lead with the same ref while the first is in progress', async () => {
    h = await startEngine();
    const first = await h.engine.submitLead({ ...customer, ref: 'order-1' });
    // Another body: the same one would be a retry of the first, answered as it was (ref-replay).
    await expect(h.engine.submitLead({ ...customer, ref: 'order-1', comment: 'ещё' })).rejects.toEqual(
      new DuplicateLeadError(first.leadId),
    );
    await h.deliverResult(
      { leadId: first.leadId, attempt: 1, key: `lead:${first.leadId}:dial:1` },
      'answered',
    );
    expect((await h.lead(first.leadId)).finished).toBe(true);
    const second = await h.engine.submitLead({ ...customer, ref: 'order-1', comment: 'ещё' });
    expect(second.leadId).not.toBe(first.leadId);
  });

  it('refuses an invalid body with every bad field, storing nothing', async () => {
    h = await startEngine();
    await expect(h.engine.submitLead({ name: '', phone: 5 })).rejects.toBeInstanceOf(InvalidLeadError);
    expect((await h.store.stats()).unfinished).toBe(0);
  });

  it('states that change are reported to listeners, in order', async () => {
    h = await startEngine({ at: DAYTIME });
    h.answerCalls('answered');
    const { leadId } = await h.engine.submitLead(customer);
    await h.settle();
    const seen = h.changes.filter((change) => change.leadId === leadId).map((change) => change.to);
    expect(seen[0]).toEqual({ crmState: 'crm.creating', callState: 'call.dialing' });
    expect(seen.map((to) => to.callState)).toContain('call.awaitingResult');
    expect(seen.at(-1)).toEqual({ crmState: 'crm.created', callState: 'call.answered' });
    expect(h.changes[0]?.from).toBeNull();
  });
});
