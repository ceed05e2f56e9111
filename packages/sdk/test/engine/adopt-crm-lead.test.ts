import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RateLimitedLeadError } from '../../src/engine/index.js';
import { InvalidLeadError } from '../../src/lead/index.js';
import { customer, DAYTIME, MINUTE, startEngine, useStore } from './harness.js';

type Harness = Awaited<ReturnType<typeof startEngine>>;
let h: Harness;
afterEach(async () => {
  await h?.engine.stop();
  await h?.store.close();
});

const DAY = 24 * 60 * MINUTE;
const CRM = {
  crmLeadId: '4242',
  crmUrl: 'https://shop.bitrix24.ru/crm/lead/details/4242/',
  origin: 'webform',
};

describe.each(['memory', 'sqlite'] as const)(
  'engine on the %s store: a lead adopted from the CRM',
  (kind) => {
    beforeAll(() => useStore(kind));

    it('dials at once and records the call on the CRM lead it came from; no CRM lead is made', async () => {
      h = await startEngine();
      h.crm.partners.set('PARTNER42', { id: '7', name: 'Блогер Иван', entity: 'company' });
      h.answerCalls('answered');
      const result = await h.engine.adoptCrmLead('default', { ...customer, partnerCode: 'PARTNER42' }, CRM);

      expect(result).toMatchObject({ state: 'call.dialing', crmState: 'crm.created', known: false });
      const lead = await h.lead(result.leadId);
      expect([lead.crmState, lead.callState, lead.finished]).toEqual(['crm.created', 'call.answered', true]);
      expect(h.crm.createCalls).toEqual([]);
      expect(h.crm.leads.size).toBe(0);
      // The phone as typed (8 …) was read for the shop's country, as a submitted lead's is.
      expect(h.voice.started.map((call) => call.phone)).toEqual(['+79161234567']);
      expect(h.crm.calls).toEqual([
        { crmLeadId: '4242', record: expect.objectContaining({ attempt: 1, outcome: 'answered' }) },
      ]);
      expect(h.sms.sent.map((sms) => sms.key)).toEqual([`lead:${result.leadId}:sms:answered`]);
      expect(h.notifier.notices).toEqual([
        expect.objectContaining({ kind: 'newLead', crmLeadId: '4242', crmUrl: CRM.crmUrl }),
      ]);
    });

    it('keeps on its audit trail that it was adopted from the CRM', async () => {
      h = await startEngine();
      const { leadId } = await h.engine.adoptCrmLead('default', customer, CRM);
      const [first] = await h.store.getAudit(leadId);
      expect(first?.detail).toEqual({
        event: 'ADOPTED',
        source: 'crm',
        crmLeadId: '4242',
        crmUrl: CRM.crmUrl,
        origin: 'webform',
      });
    });

    it('a CRM lead adopted again, a month after the first finished, answers the first lead', async () => {
      h = await startEngine();
      h.answerCalls('answered');
      const first = await h.engine.adoptCrmLead('default', customer, { crmLeadId: 4242 });
      expect((await h.lead(first.leadId)).finished).toBe(true);
      await h.clock.advance(31 * DAY);

      const again = await h.engine.adoptCrmLead(
        'default',
        { ...customer, name: 'Анна П.' },
        { crmLeadId: '4242' },
      );

      expect(again).toEqual({
        leadId: first.leadId,
        state: 'call.answered',
        crmState: 'crm.created',
        callState: 'call.answered',
        known: true,
      });
      expect(h.voice.started).toHaveLength(1);
      expect((await h.store.stats()).unfinished).toBe(0);
    });

    it('two adoptions of one CRM lead at once make one lead and one call', async () => {
      h = await startEngine();
      const results = await Promise.all([
        h.engine.adoptCrmLead('default', customer, CRM),
        h.engine.adoptCrmLead('default', customer, CRM),
      ]);

      expect(new Set(results.map((result) => result.leadId)).size).toBe(1);
      expect(results.map((result) => result.known).sort()).toEqual([false, true]);
      await h.settle();
      expect(h.voice.started).toHaveLength(1);
      expect(h.notifier.notices).toHaveLength(1);
    });

    it('is not held by the abuse guard: the shop’s own CRM leads are not the public', async () => {
      h = await startEngine({ config: { abuse: { phonePerHour: 1, callsPerDay: 1 } } });
      await h.engine.submitLead(customer);
      await expect(h.engine.submitLead(customer)).rejects.toBeInstanceOf(RateLimitedLeadError);

      const adopted = await h.engine.adoptCrmLead('default', customer, { crmLeadId: '1' });
      const another = await h.engine.adoptCrmLead('default', customer, { crmLeadId: '2' });
      expect([adopted.state, another.state]).toEqual(['call.dialing', 'call.dialing']);
    });

    it('validates the body as a submitted lead, and the CRM lead, in one error', async () => {
      h = await startEngine({ at: DAYTIME });
      const error = await h.engine
        .adoptCrmLead('default', { name: 'Анна' }, { crmLeadId: ' ', crmUrl: 'javascript:alert(1)' })
        .catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(InvalidLeadError);
      expect((error as InvalidLeadError).issues.map((issue) => issue.path)).toEqual([
        'phone',
        'crm.crmLeadId',
        'crm.crmUrl',
      ]);
      expect((await h.store.stats()).unfinished).toBe(0);
    });
  },
);
