import { describe, expect, it } from 'vitest';
import { post, startSim } from './helpers.js';
import { startReceiver } from './receiver.js';

async function appWithOfflineLeads() {
  const sim = await startSim();
  const app = sim.registerApp();
  const { auth } = await sim.installApp(app.clientId);
  const call = (method: string, params: Record<string, unknown> = {}) =>
    post(`${sim.url}/rest/`, method, { ...params, auth: auth.access_token });
  expect(
    (await call('event.bind', { event: 'ONCRMLEADADD', event_type: 'offline', auth_connector: 'pz' })).status,
  ).toBe(200);
  expect((await call('event.bind', { event: 'ONCRMLEADUPDATE', event_type: 'offline' })).status).toBe(200);
  return { sim, app, call };
}

describe('offline events (BITRIX24.md §3)', () => {
  it('queues one record per object and hands them out once with clear=1', async () => {
    const { sim, call } = await appWithOfflineLeads();
    const hook = sim.webhookUrl();
    await post(hook, 'crm.lead.add', { fields: { TITLE: 'a' } });
    await post(hook, 'crm.lead.add', { fields: { TITLE: 'b' } });
    await post(hook, 'crm.lead.update', { id: 1, fields: { TITLE: 'a1' } });
    await post(hook, 'crm.lead.update', { id: 1, fields: { TITLE: 'a2' } });
    const first = await call('event.offline.get');
    expect(first.body.result.process_id).toBeNull();
    expect(
      first.body.result.events.map((e: { EVENT_NAME: string; EVENT_DATA: unknown }) => [
        e.EVENT_NAME,
        e.EVENT_DATA,
      ]),
    ).toEqual([
      ['ONCRMLEADADD', { FIELDS: { ID: '1' } }],
      ['ONCRMLEADADD', { FIELDS: { ID: '2' } }],
      ['ONCRMLEADUPDATE', { FIELDS: { ID: '1' } }],
    ]);
    expect(first.body.result.events[0]).toMatchObject({
      ID: expect.any(String),
      MESSAGE_ID: expect.any(String),
    });
    expect((await call('event.offline.get')).body.result.events).toEqual([]);
  });

  it('skips changes made with the binding auth_connector', async () => {
    const { sim, call } = await appWithOfflineLeads();
    await post(sim.webhookUrl(), 'crm.lead.add', { fields: { TITLE: 'own' }, auth_connector: 'pz' });
    await post(sim.webhookUrl(), 'crm.lead.add', { fields: { TITLE: 'foreign' } });
    const events = (await call('event.offline.get')).body.result.events;
    expect(events.map((e: { EVENT_DATA: { FIELDS: { ID: string } } }) => e.EVENT_DATA.FIELDS.ID)).toEqual([
      '2',
    ]);
  });

  it('holds records read with clear=0 until event.offline.clear', async () => {
    const { sim, app, call } = await appWithOfflineLeads();
    await post(sim.webhookUrl(), 'crm.lead.add', { fields: { TITLE: 'x' } });
    const held = await call('event.offline.get', { clear: 0 });
    expect(held.body.result.process_id).toEqual(expect.any(String));
    expect(held.body.result.events).toHaveLength(1);
    expect((await call('event.offline.get', { clear: 0 })).body.result.events).toEqual([]);
    await call('event.offline.clear', { process_id: held.body.result.process_id });
    expect(sim.portal().offlineQueues.get(app.clientId)?.size).toBe(0);
  });

  // api-reference/events/event-offline-clear.md: `message_id` — "Array of MESSAGE_ID values of the
  // records to clear"; by default every record of the process_id.
  it('clears only the held records named by message_id', async () => {
    const { sim, app, call } = await appWithOfflineLeads();
    await post(sim.webhookUrl(), 'crm.lead.add', { fields: { TITLE: 'x' } });
    await post(sim.webhookUrl(), 'crm.lead.add', { fields: { TITLE: 'y' } });
    const held = await call('event.offline.get', { clear: 0 });
    const [first, second] = held.body.result.events;
    await call('event.offline.clear', {
      process_id: held.body.result.process_id,
      message_id: [first.MESSAGE_ID],
    });
    const left = [...(sim.portal().offlineQueues.get(app.clientId)?.values() ?? [])];
    expect(left.map((r) => r.MESSAGE_ID)).toEqual([second.MESSAGE_ID]);
  });

  // api-reference/events/event-offline-get.md: `filter` on ID, TIMESTAMP_X, EVENT_NAME, MESSAGE_ID
  // with the operation before the field; `order` on the same fields; `process_id` to take more
  // records into the current process.
  it('reads with filter, order and an existing process_id', async () => {
    const { sim, call } = await appWithOfflineLeads();
    const hook = sim.webhookUrl();
    await post(hook, 'crm.lead.add', { fields: { TITLE: 'a' } });
    await post(hook, 'crm.lead.add', { fields: { TITLE: 'b' } });
    await post(hook, 'crm.lead.update', { id: 1, fields: { TITLE: 'a1' } });
    const names = (answer: {
      body: { result: { events: { EVENT_NAME: string; EVENT_DATA: { FIELDS: { ID: string } } }[] } };
    }) => answer.body.result.events.map((e) => `${e.EVENT_NAME}:${e.EVENT_DATA.FIELDS.ID}`);
    const updates = await call('event.offline.get', {
      clear: 0,
      filter: { '=EVENT_NAME': 'ONCRMLEADUPDATE' },
    });
    expect(names(updates)).toEqual(['ONCRMLEADUPDATE:1']);
    const more = await call('event.offline.get', {
      clear: 0,
      process_id: updates.body.result.process_id,
      order: { ID: 'DESC' },
    });
    expect(more.body.result.process_id).toBe(updates.body.result.process_id);
    expect(names(more)).toEqual(['ONCRMLEADADD:2', 'ONCRMLEADADD:1']);
    await call('event.offline.clear', { process_id: updates.body.result.process_id });
    expect((await call('event.offline.list')).body.result).toEqual([]);
  });

  // api-reference/events/event-offline-list.md: reads the queue without changing it; PROCESS_ID
  // and ERROR in each record, `total`, default order ID ASC, 50 per page.
  it('lists the queue without changing it', async () => {
    const { sim, call } = await appWithOfflineLeads();
    await post(sim.webhookUrl(), 'crm.lead.add', { fields: { TITLE: 'x' } });
    await post(sim.webhookUrl(), 'crm.lead.add', { fields: { TITLE: 'y' } });
    const held = await call('event.offline.get', { clear: 0, limit: 1 });
    const list = await call('event.offline.list', { order: { ID: 'DESC' } });
    expect(list.body.total).toBe(2);
    expect(
      list.body.result.map((r: { PROCESS_ID: string; ERROR: string }) => [r.PROCESS_ID, r.ERROR]),
    ).toEqual([
      ['', '0'],
      [held.body.result.process_id, '0'],
    ]);
    const held2 = await call('event.offline.list', { filter: { '!PROCESS_ID': '' } });
    expect(held2.body.result).toHaveLength(1);
    expect((await call('event.offline.list')).body.total).toBe(2);
  });

  it('nudges ONOFFLINEEVENT handlers with a refresh token, at most once per minTimeout', async () => {
    const receiver = await startReceiver();
    const { sim, call } = await appWithOfflineLeads();
    await call('event.bind', {
      event: 'ONOFFLINEEVENT',
      handler: `${receiver.url}/nudge`,
      options: { minTimeout: 60 },
    });
    await post(sim.webhookUrl(), 'crm.lead.add', { fields: { TITLE: 'x' } });
    await post(sim.webhookUrl(), 'crm.lead.add', { fields: { TITLE: 'y' } });
    await sim.idle();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.body).toMatchObject({
      event: 'ONOFFLINEEVENT',
      auth: { access_token: expect.any(String), refresh_token: expect.any(String) },
    });
  });
});
