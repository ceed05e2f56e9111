import {
  startTelegramSim,
  TELEGRAM_TEST_CHAT_ID,
  TELEGRAM_TEST_TOKEN,
  type TelegramSim,
} from '@prozvon/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { Portal } from '../../src/portals/portal-store.js';
import { SECRET_NAMES } from '../../src/settings/portal-providers.js';
import { type AppFixture, startAppFixture } from './app-fixture.js';
import { eventually } from './app-requests.js';

/** Spends the portal's stored refresh token and marks its access token expired: the next REST call refreshes, and Bitrix24 says invalid_grant. */
async function revokeTokens(fixture: AppFixture, portal: Portal): Promise<void> {
  const spent = await fetch(`${fixture.sim.url}/oauth/token/`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: fixture.b24App.clientId,
      client_secret: fixture.b24App.clientSecret,
      refresh_token: portal.tokens?.refreshToken ?? '',
    }),
  });
  expect(spent.status).toBe(200);
  const stored = await fixture.app.portals.getByMemberId(portal.memberId);
  const tokens = stored?.tokens;
  if (!stored || !tokens) throw new Error('the portal has no tokens');
  await fixture.app.portals.updateTokens(
    portal.memberId,
    { ...tokens, expiresAt: Date.now() - 3_600_000 },
    stored.tokenVersion,
    Date.now(),
  );
}

describe('a portal whose tokens Bitrix24 refuses', () => {
  let fixture: AppFixture;
  let telegram: TelegramSim;
  afterEach(async () => {
    await fixture?.close();
    await telegram?.close();
  });

  it('becomes needs_reinstall and its sellers’ chat is told once, however many calls fail', async () => {
    fixture = await startAppFixture();
    telegram = await startTelegramSim();
    const installed = await fixture.install();
    await fixture.app.portals.updateSettings(
      installed.memberId,
      {
        settings: {
          ...installed.settings,
          providers: { telegram: { chatId: TELEGRAM_TEST_CHAT_ID, apiRoot: telegram.url } },
        },
        secrets: { [SECRET_NAMES.telegramToken]: TELEGRAM_TEST_TOKEN },
      },
      { by: 'test', at: Date.now() },
    );
    fixture.app.tenants.forget(installed.memberId);
    await revokeTokens(fixture, installed);

    // Three form leads: three CRM reads, each refused.
    for (const n of ['1', '2', '3']) {
      fixture.sim.addFormLead({
        NAME: `Клиент ${n}`,
        PHONE: [{ VALUE: `+7 916 000-00-0${n}`, VALUE_TYPE: 'WORK' }],
      });
    }
    await fixture.sim.idle();
    await fixture.app.idle();
    await eventually(
      () => fixture.app.portals.getByMemberId(installed.memberId),
      (portal) => portal?.status === 'needs_reinstall',
      'the portal is needs_reinstall',
    );
    await fixture.app.idle();
    const told = telegram.state
      .sentTo(TELEGRAM_TEST_CHAT_ID)
      .filter((m) => m.text.includes('переустановите'));
    expect(told).toHaveLength(1);
    expect(told[0]?.text).toContain('для ручной обработки');
    expect(fixture.logs.filter((line) => line.audit === 'needs_reinstall')).toEqual([
      expect.objectContaining({ memberId: installed.memberId, told: true }),
    ]);
  });

  it('without a chat, the log says nobody was told', async () => {
    fixture = await startAppFixture();
    const installed = await fixture.install();
    await revokeTokens(fixture, installed);
    fixture.sim.addFormLead({ NAME: 'Клиент', PHONE: [{ VALUE: '+7 916 000-00-01', VALUE_TYPE: 'WORK' }] });
    await fixture.sim.idle();
    await eventually(
      () => fixture.app.portals.getByMemberId(installed.memberId),
      (portal) => portal?.status === 'needs_reinstall',
      'the portal is needs_reinstall',
    );
    await fixture.app.idle();
    expect(fixture.logs.filter((line) => line.audit === 'needs_reinstall')).toEqual([
      expect.objectContaining({ memberId: installed.memberId, told: false }),
    ]);
  });
});
