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
