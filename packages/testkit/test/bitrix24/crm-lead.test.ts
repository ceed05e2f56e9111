import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/bitrix24/index.js';
import { post, startSim } from './helpers.js';

describe('crm.lead.* (BITRIX24.md §4.1)', () => {
  it('adds a lead and reads every scalar back as a string, multifields with IDs', async () => {
    const sim = await startSim();
    sim.portal().addUserField(sim.portal().leads, 'PROZVON_REF');
    const hook = sim.webhookUrl();
    const added = await post(hook, 'crm.lead.add', {
      fields: {
        TITLE: 'Order #1001',
        NAME: 'Ivan',
        PHONE: [{ VALUE: '+79161234567', VALUE_TYPE: 'MOBILE' }],
        OPPORTUNITY: 1500.5,
        SOURCE_ID: 'WEB',
        UTM_SOURCE: 'p-42',
        ORIGINATOR_ID: 'prozvon',
        ORIGIN_ID: 'lead-abc',
        UF_CRM_PROZVON_REF: 'abc',
        UF_CRM_UNKNOWN: 'ignored',
        NOT_A_FIELD: 'ignored',
      },
      params: { REGISTER_SONET_EVENT: 'N' },
    });
    expect(added).toMatchObject({ status: 200, body: { result: 1 } });
    const { body } = await post(hook, 'crm.lead.get', { id: '1' });
    expect(body.result).toMatchObject({
      ID: '1',
      TITLE: 'Order #1001',
      NAME: 'Ivan',
      LAST_NAME: null,
      OPPORTUNITY: '1500.50',
      CURRENCY_ID: 'RUB',
      STATUS_ID: 'NEW',
      STATUS_SEMANTIC_ID: 'P',
      HAS_PHONE: 'Y',
      HAS_EMAIL: 'N',
      ASSIGNED_BY_ID: '1',
      ORIGINATOR_ID: 'prozvon',
      ORIGIN_ID: 'lead-abc',
      UF_CRM_PROZVON_REF: 'abc',
      PHONE: [
        { ID: expect.stringMatching(/^\d+$/), VALUE_TYPE: 'MOBILE', VALUE: '+79161234567', TYPE_ID: 'PHONE' },
      ],
    });
    expect(body.result.DATE_CREATE).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+03:00$/);
    expect(body.result).not.toHaveProperty('UF_CRM_UNKNOWN');
    expect(body.result).not.toHaveProperty('NOT_A_FIELD');
    expect(body.result).not.toHaveProperty('EMAIL'); // empty multifields are omitted
  });

  it('answers the legacy empty-code 400s for a missing or invalid lead', async () => {
    const sim = await startSim();
    const hook = sim.webhookUrl();
    expect(await post(hook, 'crm.lead.get', { id: 99 })).toEqual({
      status: 400,
      body: { error: '', error_description: 'Not found' },
    });
    expect(await post(hook, 'crm.lead.get', {})).toEqual({
      status: 400,
      body: { error: '', error_description: 'ID is not defined or invalid.' },
    });
    expect((await post(hook, 'crm.lead.update', { id: 5, fields: { TITLE: 'x' } })).body).toEqual({
      error: '',
      error_description: 'Not found',
    });
    expect((await post(hook, 'crm.lead.add', { fields: 'nope' })).status).toBe(400);
  });

  it('updates with the multifield rules: add without ID, edit with ID, delete', async () => {
    const sim = await startSim();
    const hook = sim.webhookUrl();
    await post(hook, 'crm.lead.add', {
      fields: { PHONE: [{ VALUE: '+70000000001' }, { VALUE: '+70000000002' }, { VALUE: '+70000000003' }] },
    });
    const before = (await post(hook, 'crm.lead.get', { id: 1 })).body.result.PHONE;
    const [first, second, third] = before;
    expect(first.VALUE_TYPE).toBe('WORK');
    const updated = await post(hook, 'crm.lead.update', {
      id: 1,
      fields: {
        STATUS_ID: 'JUNK',
        PHONE: [
          { ID: first.ID, VALUE: '+71111111111' },
          { ID: second.ID, DELETE: 'Y' },
          { ID: third.ID, VALUE: '' },
          { VALUE: '+72222222222', VALUE_TYPE: 'HOME' },
        ],
      },
    });
    expect(updated.body.result).toBe(true);
    const after = (await post(hook, 'crm.lead.get', { id: 1 })).body.result;
    expect(after.PHONE.map((p: { VALUE: string }) => p.VALUE)).toEqual(['+71111111111', '+72222222222']);
    expect(after.PHONE[0].ID).toBe(first.ID);
    expect(after.STATUS_SEMANTIC_ID).toBe('F');
  });

  it('lists with prefixed filters, select and order', async () => {
    const sim = await startSim();
    const hook = sim.webhookUrl();
    const leads = [
      {
        TITLE: 'Alpha order',
        UTM_SOURCE: 'p-1',
        OPPORTUNITY: 100,
        ORIGIN_ID: 'k1',
        PHONE: [{ VALUE: '+7900' }],
      },
      { TITLE: 'Beta order', UTM_SOURCE: 'p-2', OPPORTUNITY: 200, ORIGIN_ID: 'k2' },
      { TITLE: 'Gamma', UTM_SOURCE: 'P-1', OPPORTUNITY: 300, ORIGIN_ID: 'k3' },
    ];
    for (const fields of leads) await post(hook, 'crm.lead.add', { fields });
    const ids = async (filter: Record<string, unknown>, order?: Record<string, string>) =>
      (await post(hook, 'crm.lead.list', { filter, order, select: ['ID'] })).body.result.map(
        (row: { ID: string }) => row.ID,
      );
    expect(await ids({ ORIGIN_ID: 'k2' })).toEqual(['2']);
    expect(await ids({ '=UTM_SOURCE': 'p-1' })).toEqual(['1', '3']); // case-insensitive like MySQL
    expect(await ids({ '!UTM_SOURCE': 'p-1' })).toEqual(['2']);
    expect(await ids({ '>OPPORTUNITY': 100 })).toEqual(['2', '3']);
    expect(await ids({ '<=OPPORTUNITY': '200' })).toEqual(['1', '2']);
    expect(await ids({ '%TITLE': 'ORDER' })).toEqual(['1', '2']);
    expect(await ids({ '!%TITLE': 'order' })).toEqual(['3']);
    expect(await ids({ '=%TITLE': '%a order' })).toEqual(['1', '2']);
    expect(await ids({ '@ID': [1, 3] })).toEqual(['1', '3']);
    expect(await ids({ '!@ID': ['1', '3'] })).toEqual(['2']);
    expect(await ids({ '>ID': 1 }, { ID: 'DESC' })).toEqual(['3', '2']);
    expect(await ids({ PHONE: '+7900' })).toEqual(['1']);
    const selected = await post(hook, 'crm.lead.list', { filter: { ID: 1 }, select: ['TITLE', 'PHONE'] });
    expect(selected.body.result).toEqual([
      { ID: '1', TITLE: 'Alpha order', PHONE: [expect.objectContaining({ VALUE: '+7900' })] },
    ]);
    const star = (await post(hook, 'crm.lead.list', { filter: { ID: 1 } })).body.result[0];
    expect(star.TITLE).toBe('Alpha order');
    expect(star).not.toHaveProperty('PHONE'); // multifields only when named
  });

  it('pages by 50 with total/next, and start=-1 skips the count', async () => {
    const sim = await startSim();
    const portal = sim.portal();
    for (let i = 0; i < 120; i++) portal.seedLead({ TITLE: `L${i}` });
    const hook = sim.webhookUrl();
    const first = await post(hook, 'crm.lead.list', { select: ['ID'] });
    expect(first.body.result).toHaveLength(50);
    expect(first.body).toMatchObject({ total: 120, next: 50 });
    const last = await post(hook, 'crm.lead.list', { select: ['ID'], start: 100 });
    expect(last.body.result).toHaveLength(20);
    expect(last.body.total).toBe(120);
    expect(last.body).not.toHaveProperty('next');
    const fast = await post(hook, 'crm.lead.list', {
      order: { ID: 'ASC' },
      filter: { '>ID': 100 },
      select: ['ID'],
      start: -1,
    });
    expect(fast.body.result).toHaveLength(20);
    expect(fast.body.result[0].ID).toBe('101');
    expect(fast.body).not.toHaveProperty('total');
    expect(fast.body).not.toHaveProperty('next');
  });

  it('describes its fields, PHONE as a multiple crm_multifield and UF fields as dynamic', async () => {
    const sim = await startSim();
    sim.portal().addUserField(sim.portal().leads, 'UF_PARTNER', 'crm');
    const { body } = await post(sim.webhookUrl(), 'crm.lead.fields');
    expect(body.result.PHONE).toMatchObject({ type: 'crm_multifield', isMultiple: true });
    expect(body.result.ID).toMatchObject({ type: 'integer', isReadOnly: true });
    expect(body.result.STATUS_ID).toMatchObject({ type: 'crm_status', statusType: 'STATUS' });
    expect(body.result.UF_CRM_PARTNER).toMatchObject({ type: 'crm', isDynamic: true });
  });
  // The portal prints dates in its own zone (`2026-12-07T08:30:00+03:00`) and the docs write filter
  // dates without an offset (`'>DATE_CREATE': '2026-12-07T08:00:00'`): that is the portal's
  // wall-clock time, whatever zone the app's process runs in.
  it('reads a filter date without an offset in the portal zone, not the process zone', async () => {
    const processOffset = -new Date('2026-12-07T00:00:00Z').getTimezoneOffset();
    const offsetMinutes = processOffset === 180 ? 300 : 180; // differ from the process, whatever it is
    const clock = new ManualClock(Date.parse('2026-12-07T07:30:00Z') - offsetMinutes * 60_000);
    const sim = await startSim({ clock, portals: [{ offsetMinutes }] });
    const hook = sim.webhookUrl();
    await post(hook, 'crm.lead.add', { fields: { TITLE: 'at 07:30 portal time' } });
    clock.advance(60 * 60_000);
    await post(hook, 'crm.lead.add', { fields: { TITLE: 'at 08:30 portal time' } });
    const after = await post(hook, 'crm.lead.list', { filter: { '>DATE_CREATE': '2026-12-07T08:00:00' } });
    expect(after.body.result.map((lead: { TITLE: string }) => lead.TITLE)).toEqual(['at 08:30 portal time']);
    const day = await post(hook, 'crm.lead.list', { filter: { '>=DATE_CREATE': '2026-12-07' } });
    expect(day.body.total).toBe(2);
    const withOffset = await post(hook, 'crm.lead.list', {
      filter: { '>DATE_CREATE': new Date(clock.now() - 30 * 60_000).toISOString() },
    });
    expect(withOffset.body.result.map((lead: { TITLE: string }) => lead.TITLE)).toEqual([
      'at 08:30 portal time',
    ]);
  });
});
