import { AjaxError, B24Hook } from '@bitrix24/b24jssdk';
import { describe, expect, it } from 'vitest';
import { startSim } from './helpers.js';

// The adapter will be built on b24jssdk 2.2: these tests pin that its webhook client works
// against the simulator as it does against a portal (STACK.md, BITRIX24.md §8).
describe('b24jssdk B24Hook against the simulator', () => {
  it('adds and reads a lead with actions.v2.call.make over HTTPS', async () => {
    const sim = await startSim();
    const b24 = B24Hook.fromWebhookUrl(sim.webhookUrl());
    const added = await b24.actions.v2.call.make<number>({
      method: 'crm.lead.add',
      params: { fields: { TITLE: 'SDK lead', PHONE: [{ VALUE: '+79161234567', VALUE_TYPE: 'MOBILE' }] } },
    });
    expect(added.isSuccess).toBe(true);
    const id = added.getData()?.result;
    expect(id).toBe(1);
    const got = await b24.actions.v2.call.make<{ TITLE: string; PHONE: { VALUE: string }[] }>({
      method: 'crm.lead.get',
      params: { id },
    });
    expect(got.getData()?.result.TITLE).toBe('SDK lead');
    expect(got.getData()?.result.PHONE[0]?.VALUE).toBe('+79161234567');
  });

  it('collects every page with callList (order by ID, >ID cursor, start=-1)', async () => {
    const sim = await startSim();
    const portal = sim.portal();
    for (let i = 0; i < 123; i++) {
      portal.seedLead({ TITLE: `L${i}`, UTM_SOURCE: i % 2 ? 'odd' : 'even' });
    }
    const b24 = B24Hook.fromWebhookUrl(sim.webhookUrl());
    const all = await b24.actions.v2.callList.make<{ ID: string }>({
      method: 'crm.lead.list',
      params: { filter: { UTM_SOURCE: 'odd' }, select: ['ID'] },
      idKey: 'ID',
    });
    expect(all.isSuccess).toBe(true);
    const ids = all.getData()?.map((row) => Number(row.ID)) ?? [];
    expect(ids).toHaveLength(61);
    expect(ids[0]).toBe(2);
    expect(ids.at(-1)).toBe(122);
  });

  it('runs a named batch with $result references', async () => {
    const sim = await startSim();
    const b24 = B24Hook.fromWebhookUrl(sim.webhookUrl());
    const batch = await b24.actions.v2.batch.make({
      calls: {
        add: { method: 'crm.lead.add', params: { fields: { TITLE: 'Batched' } } },
        note: {
          method: 'crm.timeline.comment.add',
          params: { fields: { ENTITY_ID: '$result[add]', ENTITY_TYPE: 'lead', COMMENT: 'hello' } },
        },
      },
      options: { isHaltOnError: true },
    });
    expect(batch.isSuccess).toBe(true);
    expect(sim.state.comments()).toEqual([expect.objectContaining({ entityId: 1, comment: 'hello' })]);
  });

  it('throws the legacy 400 as ERR_BAD_REQUEST and WRONG_AUTH_TYPE for telephony', async () => {
    const sim = await startSim();
    const b24 = B24Hook.fromWebhookUrl(sim.webhookUrl());
    const missing = await b24.actions.v2.call
      .make({ method: 'crm.lead.get', params: { id: 42 } })
      .catch((e) => e);
    expect(missing).toBeInstanceOf(AjaxError);
    expect(missing).toMatchObject({ code: 'ERR_BAD_REQUEST', status: 400 });
    const telephony = await b24.actions.v2.call
      .make({
        method: 'telephony.externalCall.register',
        params: { USER_ID: 1, PHONE_NUMBER: '+79161234567', TYPE: 1 },
      })
      .catch((e) => e);
    expect(telephony).toMatchObject({ code: 'WRONG_AUTH_TYPE', status: 403 });
  });
});
