import { afterEach, describe, expect, it } from 'vitest';
import { type AppFixture, startAppFixture } from './app-fixture.js';

describe('install and uninstall through the portal', () => {
  let fixture: AppFixture;
  afterEach(async () => fixture?.close());

  it('stores the portal, binds its events and placement, and a second install updates it', async () => {
    fixture = await startAppFixture();
    const { sim, b24App } = fixture;
    const result = await sim.installApp(b24App.clientId, { finish: false });
    expect(result.page).toBe(200);
    const memberId = sim.portal().memberId;
    const portal = await fixture.app.portals.getByMemberId(memberId);
    expect(portal?.status).toBe('active');
    expect(portal?.tokens?.accessToken).toBeTruthy();
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

    const again = await sim.installApp(b24App.clientId, { finish: false });
    expect(again.page).toBe(200);
    const after = await fixture.app.portals.getByMemberId(memberId);
    expect(after?.portalKey).toBe(portal?.portalKey);
    expect(after?.secrets['intake.secret']).toBe(portal?.secrets['intake.secret']);
    expect(after?.tokenVersion).toBeGreaterThan(portal?.tokenVersion ?? 0);
  });

  it('refuses an install POST whose tokens the OAuth server does not confirm', async () => {
    fixture = await startAppFixture();
    const response = await fetch(
      `${fixture.config.publicUrl}/b24/install?DOMAIN=${new URL(fixture.sim.url).host}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          AUTH_ID: 'forged',
          REFRESH_ID: 'forged',
          SERVER_ENDPOINT: `${fixture.sim.url}/rest/`,
          APPLICATION_TOKEN: 'forged',
          member_id: fixture.sim.portal().memberId,
        }),
      },
    );
    expect(response.status).toBe(401);
    expect(await fixture.app.portals.getByMemberId(fixture.sim.portal().memberId)).toBeNull();
    expect(fixture.logs.some((line) => line.audit === 'install_refused')).toBe(true);
  });

  it('uninstall deletes the tokens and secrets; a forged uninstall changes nothing', async () => {
    fixture = await startAppFixture();
    const { sim, b24App } = fixture;
    await sim.installApp(b24App.clientId);
    const memberId = sim.portal().memberId;

    const forged = await fetch(`${fixture.config.publicUrl}/b24/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `event=ONAPPUNINSTALL&data[CLEAN]=1&auth[member_id]=${memberId}&auth[application_token]=wrong`,
    });
    expect(forged.status).toBe(401);
    expect((await fixture.app.portals.getByMemberId(memberId))?.status).toBe('active');

    await sim.uninstallApp(b24App.clientId);
    await sim.idle();
    const portal = await fixture.app.portals.getByMemberId(memberId);
    expect(portal?.status).toBe('uninstalled');
    expect(portal?.tokens).toBeNull();
    expect(portal?.secrets).toEqual({});
  });
});
