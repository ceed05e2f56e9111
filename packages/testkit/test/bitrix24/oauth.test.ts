import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/bitrix24/index.js';
import { post, request, startSim } from './helpers.js';
import { startReceiver } from './receiver.js';

const token = (base: string, params: Record<string, string>, method: 'GET' | 'POST' = 'POST') =>
  method === 'GET'
    ? request(`${base}/oauth/token/?${new URLSearchParams(params)}`)
    : request(`${base}/oauth/token/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
      });

describe('app install and the OAuth server (BITRIX24.md §2)', () => {
  it('POSTs ONAPPINSTALL with tokens and application_token, and opens the install page', async () => {
    const app = await startReceiver();
    const sim = await startSim();
    const { clientId } = sim.registerApp({
      handlerUrl: `${app.url}/app`,
      eventHandlerUrl: `${app.url}/install`,
    });
    const result = await sim.installApp(clientId);
    expect(result).toMatchObject({ event: 200, page: 200 });
    const event = app.received.find((r) => r.path === '/install');
    expect(event?.contentType).toBe('application/x-www-form-urlencoded');
    const portal = sim.portal();
    expect(event?.body).toMatchObject({
      event: 'ONAPPINSTALL',
      data: { VERSION: '1', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'ru' },
      ts: expect.stringMatching(/^\d+$/),
      auth: {
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        expires_in: '3600',
        member_id: portal.memberId,
        application_token: result.install.applicationToken,
        client_endpoint: `${sim.url}/rest/`,
        server_endpoint: `${sim.url}/rest/`,
        domain: new URL(sim.url).host,
        status: 'L',
      },
    });
    const page = app.received.find((r) => r.path === '/app');
    expect(page?.query.get('DOMAIN')).toBe(new URL(sim.url).host);
    expect(page?.query.get('PROTOCOL')).toBe('1');
    expect(page?.body).toMatchObject({
      AUTH_EXPIRES: '3600',
      APPLICATION_TOKEN: result.install.applicationToken,
      member_id: portal.memberId,
      PLACEMENT: 'DEFAULT',
    });
  });

  it('exchanges an authorization code once, then rotates one-time refresh tokens', async () => {
    const clock = new ManualClock();
    const sim = await startSim({ clock });
    const app = sim.registerApp();
    await sim.installApp(app.clientId);
    const code = sim.authorize(app.clientId);
    const secrets = { client_id: app.clientId, client_secret: app.clientSecret };
    const first = await token(sim.url, { grant_type: 'authorization_code', code, ...secrets }, 'GET');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      expires_in: 3600,
      expires: Math.floor(clock.now() / 1000) + 3600,
      member_id: sim.portal().memberId,
      client_endpoint: `${sim.url}/rest/`,
      user_id: 1,
    });
    const again = await token(sim.url, { grant_type: 'authorization_code', code, ...secrets });
    expect(again).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: expect.any(String) },
    });

    clock.advance(3_600_000);
    expect((await post(`${sim.url}/rest/`, 'profile', { auth: first.body.access_token })).body.error).toBe(
      'expired_token',
    );
    const refreshed = await token(sim.url, {
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token,
      ...secrets,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(first.body.refresh_token);
    expect((await post(`${sim.url}/rest/`, 'profile', { auth: refreshed.body.access_token })).status).toBe(
      200,
    );
    const reused = await token(sim.url, {
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token,
      ...secrets,
    });
    expect(reused.body.error).toBe('invalid_grant');
    // Every token request is recorded, so a test can count refreshes.
    expect(sim.state.tokenRequests.map((r) => [r.grantType, r.outcome])).toEqual([
      ['authorization_code', 'issued'],
      ['authorization_code', 'invalid_grant'],
      ['refresh_token', 'issued'],
      ['refresh_token', 'invalid_grant'],
    ]);
    expect(sim.state.tokenRequests[2]).toMatchObject({
      clientId: app.clientId,
      memberId: sim.portal().memberId,
      at: clock.now(),
    });
  });

  it('answers invalid_client for a wrong secret and PAYMENT_REQUIRED when the paid period is over', async () => {
    const sim = await startSim();
    const app = sim.registerApp();
    const { auth } = await sim.installApp(app.clientId);
    const params = {
      grant_type: 'refresh_token',
      refresh_token: auth.refresh_token ?? '',
      client_id: app.clientId,
    };
    const wrong = await token(sim.url, { ...params, client_secret: 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');
    sim.setPaymentExpired(app.clientId, true);
    expect((await token(sim.url, { ...params, client_secret: app.clientSecret })).body.error).toBe(
      'PAYMENT_REQUIRED',
    );
  });

  it('revokes every token on uninstall and tells the bound handler without tokens', async () => {
    const receiver = await startReceiver();
    const sim = await startSim();
    const app = sim.registerApp({ eventHandlerUrl: `${receiver.url}/events` });
    const { auth, install } = await sim.installApp(app.clientId);
    const bind = await post(`${sim.url}/rest/`, 'event.bind', {
      event: 'ONAPPUNINSTALL',
      handler: `${receiver.url}/bound`,
      auth: auth.access_token,
    });
    expect(bind.body.result).toBe(true);
    await sim.uninstallApp(app.clientId, { clean: true });
    const uninstall = receiver.received.at(-1);
    expect(uninstall?.path).toBe('/bound');
    expect(uninstall?.body).toMatchObject({ event: 'ONAPPUNINSTALL', data: { CLEAN: '1' } });
    expect(uninstall?.body.auth).toEqual({
      domain: expect.any(String),
      server_endpoint: expect.any(String),
      client_endpoint: expect.any(String),
      member_id: sim.portal().memberId,
      application_token: install.applicationToken,
    });
    expect((await post(`${sim.url}/rest/`, 'profile', { auth: auth.access_token })).body.error).toBe(
      'NO_AUTH_FOUND',
    );
    const refresh = await token(sim.url, {
      grant_type: 'refresh_token',
      refresh_token: auth.refresh_token ?? '',
      client_id: app.clientId,
      client_secret: app.clientSecret,
    });
    expect(refresh.body.error).toBe('invalid_grant');
  });
  // api-reference/common/events/on-app-uninstall.md: an event like any other, "Who can subscribe:
  // any user", and "Events will not be sent to the application until the installation is complete".
  it('sends ONAPPUNINSTALL only to a handler bound with event.bind, never to the app URL alone', async () => {
    const receiver = await startReceiver();
    const sim = await startSim();
    const app = sim.registerApp({ eventHandlerUrl: `${receiver.url}/events` });
    await sim.installApp(app.clientId);
    const afterInstall = receiver.received.length; // ONAPPINSTALL
    await sim.uninstallApp(app.clientId);
    await sim.idle();
    expect(receiver.received).toHaveLength(afterInstall);
    expect(sim.state.deliveries().map((d) => d.event)).not.toContain('ONAPPUNINSTALL');
  });

  it('sends ONAPPUNINSTALL to no handler of an app whose install never finished', async () => {
    const receiver = await startReceiver();
    const sim = await startSim();
    const app = sim.registerApp({ handlerUrl: `${receiver.url}/app`, ui: true });
    const { auth } = await sim.installApp(app.clientId, { finish: false });
    await post(`${sim.url}/rest/`, 'event.bind', {
      event: 'ONAPPUNINSTALL',
      handler: `${receiver.url}/bound`,
      auth: auth.access_token,
    });
    await sim.uninstallApp(app.clientId);
    await sim.idle();
    expect(receiver.received.map((r) => r.path)).not.toContain('/bound');
  });
});
