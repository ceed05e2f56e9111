import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { api, userToken } from '../settings/api-client.js';
import { type AppFixture, startAppFixture } from './app-fixture.js';

/** The scopes the root README tells a shop owner to tick, between its `scopes` markers. */
function readmeScopes(): string[] {
  const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
  const block = /<!-- scopes -->([\s\S]*?)<!-- \/scopes -->/.exec(readme)?.[1] ?? '';
  return [...block.matchAll(/`([a-z_]+)`/g)].map((match) => match[1] ?? '');
}

/**
 * Everything the app does on a portal: install (events, the lead tab), a form lead called with
 * the call on its card, a page's user checked through the settings API. True when all of it works
 * with the application registered with exactly `scope`.
 */
async function everythingWorks(fixture: AppFixture): Promise<boolean> {
  const { sim, b24App } = fixture;
  const installed = await sim.installApp(b24App.clientId);
  if (installed.page !== 200) return false;
  const memberId = sim.portal().memberId;
  const crmId = sim.addFormLead({ NAME: 'Анна', PHONE: [{ VALUE: '+7 916 000-00-01', VALUE_TYPE: 'WORK' }] });
  const deadline = Date.now() + 10_000;
  while (!sim.state.calls().some((call) => call.crmEntityId === crmId && call.finished !== null)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const settings = await api(
    fixture,
    { token: await userToken(fixture), memberId },
    'GET',
    '/api/portal/settings',
  );
  return settings.status === 200;
}

describe('the scopes the README names', () => {
  let fixture: AppFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  const scopes = readmeScopes();

  it('are named', () => {
    expect(scopes.length).toBeGreaterThan(0);
  });

  it('are enough for everything the app does', async () => {
    fixture = await startAppFixture({ calls: true, scope: scopes });
    expect(await everythingWorks(await openAllDay(fixture))).toBe(true);
  });

  for (const missing of scopes) {
    it(`are each needed: without ${missing} something fails`, async () => {
      fixture = await startAppFixture({ calls: true, scope: scopes.filter((scope) => scope !== missing) });
      expect(await everythingWorks(await openAllDay(fixture))).toBe(false);
    });
  }
});

/** New portals call round the clock in these tests, whatever the hour the test runs at. */
async function openAllDay(fixture: AppFixture): Promise<AppFixture> {
  const day = { from: '00:00', to: '24:00' };
  const week = { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day };
  const original = fixture.app.portals.upsertInstall.bind(fixture.app.portals);
  // Settings are kept across installs, so they can be written as the portal is first stored.
  fixture.app.portals.upsertInstall = async (install) => {
    const result = await original(install);
    await fixture.app.portals.updateSettings(
      install.memberId,
      { settings: { tenant: { hours: { customerQuietHours: null, week } }, providers: {} } },
      { by: 'test', at: Date.now() },
    );
    return result;
  };
  return fixture;
}
