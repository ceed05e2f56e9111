import { describe, expect, it } from 'vitest';
import { post, request, startSim } from './helpers.js';
import { startReceiver } from './receiver.js';

async function installedApp(options: { finish?: boolean } = {}) {
  const receiver = await startReceiver();
  const sim = await startSim();
  const app = sim.registerApp();
  const { auth, install } = await sim.installApp(app.clientId, options);
  const rest = `${sim.url}/rest/`;
  const call = (method: string, params: Record<string, unknown> = {}) =>
    post(rest, method, { ...params, auth: auth.access_token });
  return { sim, app, install, call, receiver };
}

describe('events (BITRIX24.md §3)', () => {
  it('binds, lists and unbinds handlers; a second bind is "Handler already binded"', async () => {
    const { call, receiver } = await installedApp();
    const handler = `${receiver.url}/ev`;
    expect((await call('event.bind', { event: 'onCrmLeadAdd', handler })).body.result).toBe(true);
    const twice = await call('event.bind', { event: 'ONCRMLEADADD', handler });
    expect(twice).toMatchObject({ status: 400, body: { error_description: 'Handler already binded' } });
    expect((await call('event.bind', { event: 'ONNOSUCHEVENT', handler })).body.error).toBe(
      'ERROR_EVENT_NOT_FOUND',
    );
    expect((await call('event.get')).body.result).toEqual([
      { event: 'ONCRMLEADADD', handler, auth_type: '0', offline: 0 },
    ]);
    expect((await call('event.unbind', { event: 'ONCRMLEADADD', handler })).body.result).toEqual({
      count: 1,
    });
    expect((await call('event.get')).body.result).toEqual([]);
  });

  it('delivers ONCRMLEADADD with only the id and the tokens of the user who caused it', async () => {
    const { sim, install, call, receiver } = await installedApp();
    await call('event.bind', { event: 'ONCRMLEADADD', handler: `${receiver.url}/ev` });
    await post(sim.webhookUrl(), 'crm.lead.add', { fields: { TITLE: 'From a seller' } });
    await sim.idle();
    expect(receiver.received).toHaveLength(1);
    const [event] = receiver.received;
    expect(event?.contentType).toBe('application/x-www-form-urlencoded');
    expect(event?.body).toMatchObject({
      event: 'ONCRMLEADADD',
      event_handler_id: expect.stringMatching(/^\d+$/),
      data: { FIELDS: { ID: '1' } },
      auth: {
        access_token: expect.any(String),
        expires_in: '3600',
        member_id: sim.portal().memberId,
        application_token: install.applicationToken,
      },
    });
    expect(event?.body.auth).not.toHaveProperty('refresh_token');
    // The token in the event works for reading the lead.
    const lead = await post(`${sim.url}/rest/`, 'crm.lead.get', {
      id: 1,
      auth: event?.body.auth.access_token,
    });
    expect(lead.body.result.TITLE).toBe('From a seller');
    expect(sim.state.deliveries().at(-1)).toMatchObject({ event: 'ONCRMLEADADD', outcome: 200 });
  });

  it('sends no tokens for a lead nobody in particular created (a web form)', async () => {
    const { sim, call, receiver } = await installedApp();
    await call('event.bind', { event: 'ONCRMLEADADD', handler: `${receiver.url}/ev` });
    sim.addFormLead({ TITLE: 'Web form' });
    await sim.idle();
    expect(receiver.received[0]?.body.auth).not.toHaveProperty('access_token');
    expect(receiver.received[0]?.body.data).toEqual({ FIELDS: { ID: '1' } });
  });

  it('delivers nothing before installFinish, and never retries a failed delivery', async () => {
    const { sim, app, call } = await installedApp({ finish: false });
    const failing = await startReceiver(500);
    await call('event.bind', { event: 'ONCRMLEADADD', handler: `${failing.url}/ev` });
    sim.addFormLead({ TITLE: 'Before finish' });
    await sim.idle();
    expect(failing.received).toHaveLength(0);
    sim.finishInstall(app.clientId);
    sim.addFormLead({ TITLE: 'After finish' });
    await sim.idle();
    expect(failing.received).toHaveLength(1);
    expect(sim.state.deliveries().at(-1)?.outcome).toBe(500);
  });
});

describe('placements and app options (BITRIX24.md §6)', () => {
  it('binds a lead-card tab; argument errors come with HTTP 200', async () => {
    const { call } = await installedApp();
    const bind = { PLACEMENT: 'CRM_LEAD_DETAIL_TAB', HANDLER: 'https://app.example/tab', TITLE: 'Prozvon' };
    expect((await call('placement.bind', bind)).body.result).toBe(true);
    const twice = await call('placement.bind', bind);
    expect(twice.status).toBe(200);
    expect(twice.body.error_description).toBe('Handler already binded');
    const missing = await call('placement.bind', { PLACEMENT: 'CRM_LEAD_DETAIL_TAB' });
    expect(missing).toMatchObject({ status: 200, body: { error: 'ERROR_ARGUMENT', argument: 'HANDLER' } });
    expect((await call('placement.get')).body.result).toEqual([
      expect.objectContaining({ placement: 'CRM_LEAD_DETAIL_TAB', handler: bind.HANDLER, title: 'Prozvon' }),
    ]);
    expect((await call('placement.unbind', { PLACEMENT: 'CRM_LEAD_DETAIL_TAB' })).body.result).toEqual({
      count: 1,
    });
  });

  // placement-bind.md: "Who can execute the method: administrator", scope "placement, depending on
  // the placement location"; the CRM widget pages: ERROR_PLACEMENT_NOT_FOUND when "the code is wrong
  // or the app has no `crm` scope", with HTTP 200.
  it('refuses an unknown placement code, a CRM placement without the crm scope, and a non-admin', async () => {
    const { call } = await installedApp();
    const handler = 'https://app.example/tab';
    const unknown = await call('placement.bind', { PLACEMENT: 'CRM_LEAD_NO_SUCH_TAB', HANDLER: handler });
    expect(unknown).toMatchObject({ status: 200, body: { error: 'ERROR_PLACEMENT_NOT_FOUND' } });
    const sim = await startSim({ portals: [{ users: [{ id: 1 }, { id: 2, admin: false }] }] });
    const noCrm = sim.registerApp({ scope: ['placement'] });
    const { auth } = await sim.installApp(noCrm.clientId);
    const bind = (token: string | undefined, PLACEMENT: string) =>
      post(`${sim.url}/rest/`, 'placement.bind', { PLACEMENT, HANDLER: handler, auth: token });
    expect((await bind(auth.access_token, 'CRM_LEAD_DETAIL_TAB')).body.error).toBe(
      'ERROR_PLACEMENT_NOT_FOUND',
    );
    expect((await bind(auth.access_token, 'LEFT_MENU')).body.result).toBe(true);
    const full = sim.registerApp();
    await sim.installApp(full.clientId);
    const code = sim.authorize(full.clientId, { userId: 2 });
    const grant = await request(
      `${sim.url}/oauth/token/?${new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        client_id: full.clientId,
        client_secret: full.clientSecret,
      })}`,
    );
    const seller = await bind(grant.body.access_token, 'CRM_LEAD_DETAIL_TAB');
    expect(seller).toMatchObject({ status: 403, body: { error: 'ACCESS_DENIED' } });
  });

  it('opens a placement with the frame POST and PLACEMENT_OPTIONS as a JSON string', async () => {
    const { sim, app, receiver } = await installedApp();
    const outcome = await sim.openApp(app.clientId, {
      url: `${receiver.url}/tab`,
      placement: 'CRM_LEAD_DETAIL_TAB',
      placementOptions: { ID: '8061' },
    });
    expect(outcome).toBe(200);
    expect(receiver.received[0]?.body).toMatchObject({
      PLACEMENT: 'CRM_LEAD_DETAIL_TAB',
      PLACEMENT_OPTIONS: '{"ID":"8061"}',
    });
  });

  it('sets and gets app options; an empty set is refused', async () => {
    const { sim, call } = await installedApp();
    expect((await call('app.option.get')).body.result).toEqual([]);
    expect((await call('app.option.set', { options: { hours: '9-21', retries: 3 } })).body.result).toBe(true);
    expect((await call('app.option.get', { option: 'hours' })).body.result).toBe('9-21');
    expect((await call('app.option.get')).body.result).toEqual({ hours: '9-21', retries: 3 });
    expect((await call('app.option.get', { option: 'none' })).body.result).toBeNull();
    expect((await call('app.option.set', { options: {} })).body.error).toBe('ArgumentNullException');
    expect((await call('app.info')).body.result).toMatchObject({ INSTALLED: true, LICENSE_FAMILY: 'std' });
    // common/system/app-info.md: outside an application context, 400 ACCESS_DENIED.
    expect(await post(sim.webhookUrl(), 'app.info')).toEqual({
      status: 400,
      body: { error: 'ACCESS_DENIED', error_description: 'Access denied! Application context required' },
    });
  });

  it('does not wait on close for a handler that never answers', async () => {
    const { createServer } = await import('node:http');
    const silent = createServer(() => {}); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as import('node:net').AddressInfo;
    try {
      const { sim, call } = await installedApp();
      await call('event.bind', { event: 'ONCRMLEADADD', handler: `http://127.0.0.1:${port}/ev` });
      sim.addFormLead({ TITLE: 'x' });
      const started = Date.now();
      await sim.close();
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(sim.state.deliveries().at(-1)?.outcome).toBe('simulator closed');
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
