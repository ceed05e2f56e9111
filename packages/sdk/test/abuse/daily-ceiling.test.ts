import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contextOf } from '../../src/engine/decide.js';
import { customer, DAYTIME, MINUTE, NIGHT, phoneOf, startEngine, useStore } from '../engine/harness.js';

type Harness = Awaited<ReturnType<typeof startEngine>>;
let h: Harness;
afterEach(async () => {
  await h?.engine.stop();
  await h?.store.close();
});

/** Room for one lead a day: it reserves its three attempts. */
const ONE_LEAD_A_DAY = { abuse: { callsPerDay: 3 }, maxAttempts: 3 };

describe.each(['memory', 'sqlite'] as const)("the shop's daily ceiling on the %s store", (kind) => {
  beforeAll(() => useStore(kind));

  it('past it, a lead reaches the CRM and the sellers but is neither called nor texted; one notice a day', async () => {
    h = await startEngine({ config: ONE_LEAD_A_DAY });
    h.answerCalls('answered');
    const first = await h.engine.submitLead({ ...customer, phone: phoneOf(1) });
    expect(first.state).toBe('call.dialing');
    const second = await h.engine.submitLead({ ...customer, name: 'Борис', phone: phoneOf(2) });
    const third = await h.engine.submitLead({ ...customer, name: 'Вера', phone: phoneOf(3) });
    expect([second.state, third.state]).toEqual(['call.manual', 'call.manual']);
    await h.clock.advance(60 * MINUTE);

    for (const { leadId } of [second, third]) {
      const lead = await h.lead(leadId);
      expect([lead.crmState, lead.callState, lead.finished]).toEqual(['crm.created', 'call.manual', true]);
      expect(contextOf(lead).manualReason).toBe('daily_limit');
    }
    expect(h.crm.createCalls).toHaveLength(3);
    expect(h.voice.started.map((call) => call.leadId)).toEqual([first.leadId]);
    expect(h.sms.sent.map((sms) => sms.key)).toEqual([`lead:${first.leadId}:sms:answered`]);
    const limitNotices = h.notifier.notices.filter((n) => n.kind === 'manual');
    expect(limitNotices).toEqual([
      expect.objectContaining({
        key: 'tenant:default:notify:daily-limit:2026-11-25',
        reason: 'daily_limit',
        leadId: second.leadId,
      }),
    ]);
    expect(h.notifier.notices.filter((n) => n.kind === 'newLead')).toHaveLength(3);

    // The next day (in Moscow) there is room again, and the sellers are told again when it fills.
    await h.clock.advanceTo(DAYTIME + 24 * 60 * MINUTE);
    const fourth = await h.engine.submitLead({ ...customer, phone: phoneOf(4) });
    const fifth = await h.engine.submitLead({ ...customer, phone: phoneOf(5) });
    expect([fourth.state, fifth.state]).toEqual(['call.dialing', 'call.manual']);
    await h.settle();
    expect(h.notifier.notices.filter((n) => n.kind === 'manual').map((n) => n.key)).toEqual([
      'tenant:default:notify:daily-limit:2026-11-25',
      'tenant:default:notify:daily-limit:2026-11-26',
    ]);
  });

  it('at night a lead past it gets no night SMS', async () => {
    h = await startEngine({ at: NIGHT, config: ONE_LEAD_A_DAY });
    const first = await h.engine.submitLead({ ...customer, phone: phoneOf(1) });
    const second = await h.engine.submitLead({ ...customer, phone: phoneOf(2) });
    expect([first.state, second.state]).toEqual(['call.night', 'call.manual']);
    await h.settle();
    expect(h.sms.sent.map((sms) => sms.key)).toEqual([`lead:${first.leadId}:sms:night`]);
  });

  it('counts across a restart of the engine on the same store', async () => {
    h = await startEngine({ config: ONE_LEAD_A_DAY });
    await h.engine.submitLead({ ...customer, phone: phoneOf(1) });
    await h.engine.stop();
    await h.engine.start();
    expect((await h.engine.submitLead({ ...customer, phone: phoneOf(2) })).state).toBe('call.manual');
  });
});
