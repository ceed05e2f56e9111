import { afterEach, describe, expect, it } from 'vitest';
import { type AppFixture, startAppFixture } from './app-fixture.js';

const postEvent = (fixture: AppFixture, body: Record<string, string>) =>
  fetch(`${fixture.config.publicUrl}/b24/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body),
  });

describe('a Market install without UI: ONAPPINSTALL at the event URL', () => {
  let fixture: AppFixture;
  afterEach(async () => fixture?.close());

  it('stores the portal as the install page does, and a second install updates it', async () => {
    fixture = await startAppFixture({ marketplace: true });
    const { sim, b24App } = fixture;
    const result = await sim.installApp(b24App.clientId);
    expect(result.event).toBe(200);
    expect(result.page).toBeUndefined();
    const memberId = sim.portal().memberId;
    const portal = await fixture.app.portals.getByMemberId(memberId);
    expect(portal?.status).toBe('active');
    expect(portal?.applicationToken).toBe(result.install.applicationToken);
    expect(portal?.domain).toBe(new URL(sim.url).host);
    // The pair stored is the one the exchange gave, not the one the event carried (used up).
    expect(portal?.tokens?.refreshToken).toBeTruthy();
    expect(portal?.tokens?.refreshToken).not.toBe(result.auth.refresh_token);
    expect(Object.keys(portal?.secrets ?? {}).sort()).toEqual(['intake.secret', 'voice.secret']);
    const bound = sim.portal().eventHandlers.filter((h) => h.clientId === b24App.clientId);
    expect(bound.map((h) => `${h.event}${h.offline ? ':offline' : ''}`).sort()).toEqual([
      'ONAPPUNINSTALL',
      'ONCRMLEADADD',
      'ONCRMLEADADD:offline',
      'ONEXTERNALCALLBACKSTART',
      'ONOFFLINEEVENT',
    ]);
    expect(sim.portal().placements.map((p) => p.placement)).toEqual(['CRM_LEAD_DETAIL_TAB']);
    expect(fixture.logs.some((line) => line.audit === 'installed' && line.via === 'ONAPPINSTALL')).toBe(true);

    const again = await sim.installApp(b24App.clientId);
    expect(again.event).toBe(200);
    const after = await fixture.app.portals.getByMemberId(memberId);
    expect(after?.portalKey).toBe(portal?.portalKey);
    expect(after?.secrets['intake.secret']).toBe(portal?.secrets['intake.secret']);
    expect(after?.applicationToken).toBe(again.install.applicationToken);
    expect(fixture.logs.some((line) => line.audit === 'reinstalled')).toBe(true);
  });

  it('a local app without UI: ONAPPINSTALL at the install path installs the portal the same way', async () => {
    fixture = await startAppFixture({ localWithoutUi: true });
    const { sim, b24App } = fixture;
    const result = await sim.installApp(b24App.clientId);
    expect(result.event).toBe(200);
    const portal = await fixture.app.portals.getByMemberId(sim.portal().memberId);
    expect(portal?.status).toBe('active');
    expect(portal?.applicationToken).toBe(result.install.applicationToken);
    const bound = sim.portal().eventHandlers.filter((h) => h.clientId === b24App.clientId);
    expect(bound.map((h) => h.event)).toContain('ONCRMLEADADD');
  });

  it('refuses an ONAPPINSTALL whose refresh token the OAuth server does not confirm', async () => {
    fixture = await startAppFixture({ marketplace: true });
    const memberId = fixture.sim.portal().memberId;
    const response = await postEvent(fixture, {
      event: 'ONAPPINSTALL',
      'auth[member_id]': memberId,
      'auth[application_token]': 'forged',
      'auth[refresh_token]': 'forged',
      'auth[access_token]': 'forged',
      'auth[domain]': new URL(fixture.sim.url).host,
      'auth[server_endpoint]': `${fixture.sim.url}/rest/`,
    });
    expect(response.status).toBe(401);
    expect(await fixture.app.portals.getByMemberId(memberId)).toBeNull();
    expect(
      fixture.logs.some((line) => line.audit === 'install_refused' && line.reason === 'not_confirmed'),
    ).toBe(true);
  });

  it('refuses an OAuth host not allowed, and one portal’s tokens claimed for another', async () => {
    fixture = await startAppFixture({ marketplace: true, portals: ['a', 'b'] });
    const { sim, b24App } = fixture;
    const other = sim.portal('b').memberId;
    await sim.installApp(b24App.clientId, { portal: 'a' });
    // A real, unused refresh token of portal a, claimed in an ONAPPINSTALL as portal b's.
    const grant = await fetch(`${sim.url}/oauth/token/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: b24App.clientId,
        client_secret: b24App.clientSecret,
        code: sim.authorize(b24App.clientId, { portal: 'a' }),
      }),
    });
    const { refresh_token } = (await grant.json()) as { refresh_token: string };
    const claimed = await postEvent(fixture, {
      event: 'ONAPPINSTALL',
      'auth[member_id]': other,
      'auth[application_token]': 'b-forged',
      'auth[refresh_token]': refresh_token,
      'auth[domain]': sim.portal('b').domain,
      'auth[server_endpoint]': `${sim.url}/rest/`,
    });
    expect(claimed.status).toBe(401);
    expect(await fixture.app.portals.getByMemberId(other)).toBeNull();
    expect(
      fixture.logs.some((line) => line.audit === 'install_refused' && line.reason === 'portal_mismatch'),
    ).toBe(true);

    const elsewhere = await postEvent(fixture, {
      event: 'ONAPPINSTALL',
      'auth[member_id]': other,
      'auth[application_token]': 'x',
      'auth[refresh_token]': 'x',
      'auth[domain]': 'evil.example',
      'auth[server_endpoint]': 'https://evil.example/rest/',
    });
    expect(elsewhere.status).toBe(401);
    expect(
      fixture.logs.some((line) => line.audit === 'install_refused' && line.reason === 'oauth_host'),
    ).toBe(true);
  });

  it('refuses an ONAPPINSTALL without the tokens an install needs, naming the field', async () => {
    fixture = await startAppFixture({ marketplace: true });
    const response = await postEvent(fixture, {
      event: 'ONAPPINSTALL',
      'auth[member_id]': fixture.sim.portal().memberId,
      'auth[application_token]': 'x',
    });
    expect(response.status).toBe(401);
    const line = fixture.logs.find((entry) => entry.audit === 'event_refused');
    expect(line?.fields).toEqual(expect.arrayContaining(['auth.refresh_token']));
  });
});
