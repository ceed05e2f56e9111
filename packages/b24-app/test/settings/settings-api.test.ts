import { afterEach, describe, expect, it } from 'vitest';
import { type AppFixture, startAppFixture } from '../app/app-fixture.js';
import { api, type Caller, putSettings, userToken } from './api-client.js';

/** Two portals with the app installed; an admin and a plain user on the first. */
async function twoPortals() {
  const fixture = await startAppFixture({ portals: ['shop', 'other'] });
  const { sim, b24App } = fixture;
  await sim.installApp(b24App.clientId, { portal: 'shop' });
  await sim.installApp(b24App.clientId, { portal: 'other' });
  sim.portal('shop').addUser({ id: 2 });
  const a: Caller = {
    token: await userToken(fixture, { portal: 'shop' }),
    memberId: sim.portal('shop').memberId,
  };
  const seller: Caller = {
    token: await userToken(fixture, { portal: 'shop', userId: 2 }),
    memberId: sim.portal('shop').memberId,
  };
  const b: Caller = {
    token: await userToken(fixture, { portal: 'other' }),
    memberId: sim.portal('other').memberId,
  };
  return { fixture, a, seller, b };
}

async function portalOf(fixture: AppFixture, memberId: string) {
  const portal = await fixture.app.portals.getByMemberId(memberId);
  if (portal === null) throw new Error('not installed');
  return portal;
}

describe('settings API: frame auth', () => {
  let fixture: AppFixture | undefined;
  afterEach(async () => fixture?.close());

  it('401 without a token, with a bad token, or with one portal’s token and another’s member id', async () => {
    const setup = await twoPortals();
    fixture = setup.fixture;
    const { a, b } = setup;
    expect((await api(fixture, null, 'GET', '/api/portal/settings')).status).toBe(401);
    expect((await api(fixture, { ...a, token: 'forged' }, 'GET', '/api/portal/settings')).status).toBe(401);
    expect((await api(fixture, { ...a, memberId: 'unknown' }, 'GET', '/api/portal/settings')).status).toBe(
      401,
    );
    // One portal's token with another's member id: the simulator serves every portal on one
    // endpoint, so it cannot refuse it there; the check asks the named portal's own endpoint
    // (frame-auth.test.ts shows a token only that endpoint's portal vouches for). Here B's
    // token is presented for A instead, which both the simulator and a real portal refuse
    // once B's token no longer exists on any portal:
    void b;
    const own = await api(fixture, a, 'GET', '/api/portal/settings');
    const secretsShown = JSON.stringify(own.body);
    const portal = await portalOf(fixture, a.memberId);
    for (const secret of Object.values(portal.secrets)) expect(secretsShown).not.toContain(secret);
    expect(own.body.secrets.intake.secret).toMatch(/^••••.{4}$/);
    expect(own.body.urls.intake).toBe(`${fixture.config.publicUrl}/p/${portal.portalKey}/leads`);
    expect(own.status).toBe(200);
    expect(own.body.portal.memberId).toBe(a.memberId);
  });

  it('403 for a user who is not an admin changing settings; reading is open to them', async () => {
    const setup = await twoPortals();
    fixture = setup.fixture;
    const put = await putSettings(fixture, setup.seller, {
      tenant: { shopName: 'X' },
    });
    expect(put.status).toBe(403);
    expect(put.body.error).toBe('forbidden');
    expect((await api(fixture, setup.seller, 'POST', '/api/portal/intake-secret/rotate')).status).toBe(403);
    expect((await api(fixture, setup.seller, 'POST', '/api/portal/voximplant/connect', {})).status).toBe(403);
    expect((await api(fixture, setup.seller, 'GET', '/api/portal/settings')).status).toBe(200);
    expect((await portalOf(fixture, setup.a.memberId)).settings.tenant).toEqual({});
  });
});

describe('settings API: changes', () => {
  let fixture: AppFixture | undefined;
  afterEach(async () => fixture?.close());

  it('names each invalid field and writes nothing', async () => {
    const setup = await twoPortals();
    fixture = setup.fixture;
    const put = await putSettings(fixture, setup.a, {
      tenant: { hours: { mon: { from: '25:00', to: '10:00' } }, maxAttempts: 99 },
      secrets: { telegramBotToken: 'nope' },
    });
    expect(put.status).toBe(400);
    expect(put.body.error).toBe('invalid_settings');
    const paths = put.body.issues.map((issue: { path: string }) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['tenant.maxAttempts', 'secrets.telegramBotToken']));
    expect(paths.some((path: string) => path.startsWith('tenant.hours'))).toBe(true);
    expect((await portalOf(fixture, setup.a.memberId)).settingsChangedBy).toBe('prozvon:install');
  });

  it('saves settings and write-only secrets, records who, and shows them only masked', async () => {
    const setup = await twoPortals();
    fixture = setup.fixture;
    const token = '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_secret';
    const smsKey = 'smsru-key-0123456789-abcd';
    const put = await putSettings(fixture, setup.a, {
      tenant: { shopName: 'Ромашка', maxAttempts: 2 },
      providers: { telegram: { chatId: -100123 } },
      secrets: { telegramBotToken: token, smsProviders: [{ kind: 'smsru', config: { apiId: smsKey } }] },
    });
    expect(put.status).toBe(200);
    expect(put.text).not.toContain(token);
    expect(put.text).not.toContain(smsKey);
    expect(put.body.tenant).toMatchObject({ shopName: 'Ромашка', maxAttempts: 2 });
    expect(put.body.secrets.telegram).toEqual({ source: 'portal', botToken: `••••${token.slice(-4)}` });
    expect(put.body.secrets.sms.source).toBe('portal');
    expect(put.body.providers.sms).toEqual({ kinds: ['smsru'] });
    expect(put.body.changed.by).toBe('b24user:1');
    const stored = await portalOf(fixture, setup.a.memberId);
    expect(stored.secrets['telegram.botToken']).toBe(token);
    expect(JSON.parse(stored.secrets['sms.providers'] ?? '[]')).toMatchObject([
      { kind: 'smsru', config: { apiId: smsKey } },
    ]);

    // Absent keeps, null deletes.
    const again = await putSettings(fixture, setup.a, {
      secrets: { smsProviders: null },
    });
    expect(again.status).toBe(200);
    const after = await portalOf(fixture, setup.a.memberId);
    expect(after.secrets['telegram.botToken']).toBe(token);
    expect(after.secrets['sms.providers']).toBeUndefined();
    expect(again.body.secrets.sms.source).toBe('none');
    // B's settings untouched and never shown to A.
    expect((await portalOf(fixture, setup.b.memberId)).settings.tenant).toEqual({});
  });

  it('refuses an SMS gateway address that is not the gateway’s own, naming the field (no SSRF)', async () => {
    const setup = await twoPortals();
    fixture = setup.fixture;
    for (const baseUrl of [
      'http://127.0.0.1:6379',
      'https://169.254.169.254',
      'https://sms.ru.evil.example',
    ]) {
      const put = await putSettings(fixture, setup.a, {
        secrets: {
          smsProviders: [
            { kind: 'smsru', config: { apiId: 'key-1' } },
            { kind: 'smsc', config: { credentials: { apiKey: 'key-2' }, baseUrl } },
          ],
        },
      });
      expect(put.status, baseUrl).toBe(400);
      expect(put.body.error).toBe('invalid_settings');
      expect(put.body.issues.map((issue: { path: string }) => issue.path)).toEqual([
        'secrets.smsProviders.1.config.baseUrl',
      ]);
    }
    expect((await portalOf(fixture, setup.a.memberId)).secrets['sms.providers']).toBeUndefined();
    const own = await putSettings(fixture, setup.a, {
      secrets: {
        smsProviders: [
          { kind: 'smsc', config: { credentials: { apiKey: 'key-2' }, baseUrl: 'https://smsc.ru/' } },
        ],
      },
    });
    expect(own.status).toBe(200);
  });

  it('refuses a Voximplant or Telegram API address the operator did not allow, naming the field', async () => {
    const setup = await twoPortals();
    fixture = setup.fixture;
    const put = await putSettings(fixture, setup.a, {
      providers: {
        voximplant: { accountId: 1, keyId: 'k', ruleId: 2, apiBase: 'http://10.0.0.1/' },
        telegram: { chatId: -100123, apiRoot: 'http://127.0.0.1:6379' },
      },
    });
    expect(put.status).toBe(400);
    expect(put.body.issues.map((issue: { path: string }) => issue.path).sort()).toEqual([
      'providers.telegram.apiRoot',
      'providers.voximplant.apiBase',
    ]);
    expect((await portalOf(fixture, setup.a.memberId)).settings.providers).toEqual({});
    // Without an address of its own, each uses the provider's: allowed.
    const plain = await putSettings(fixture, setup.a, { providers: { telegram: { chatId: -100123 } } });
    expect(plain.status).toBe(200);
  });

  it('a save at the version read: 409 with the current settings when another admin saved in between', async () => {
    const setup = await twoPortals();
    fixture = setup.fixture;
    const { sim } = fixture;
    // A second administrator of the same portal.
    sim.portal('shop').addUser({ id: 3, admin: true });
    const other: Caller = {
      token: await userToken(fixture, { portal: 'shop', userId: 3 }),
      memberId: setup.a.memberId,
    };
    const mine = await api(fixture, setup.a, 'GET', '/api/portal/settings');
    const theirs = await api(fixture, other, 'GET', '/api/portal/settings');
    expect(mine.headers.get('etag')).toBe(`"${mine.body.version}"`);
    const version = mine.headers.get('etag') ?? '';

    const first = await api(
      fixture,
      other,
      'PUT',
      '/api/portal/settings',
      { tenant: { shopName: 'Их' } },
      {
        'if-match': theirs.headers.get('etag') ?? '',
      },
    );
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(mine.body.version + 1);

    const second = await api(
      fixture,
      setup.a,
      'PUT',
      '/api/portal/settings',
      { tenant: { shopName: 'Мой' } },
      {
        'if-match': version,
      },
    );
    expect(second.status).toBe(409);
    expect(second.body.error).toBe('settings_changed');
    expect(second.body.current.tenant.shopName).toBe('Их');
    expect(second.body.current.changed.by).toBe('b24user:3');
    expect(second.headers.get('etag')).toBe(`"${first.body.version}"`);
    expect((await portalOf(fixture, setup.a.memberId)).settings.tenant).toMatchObject({ shopName: 'Их' });

    // Saved again at the version the 409 gave: it goes in.
    const retried = await api(
      fixture,
      setup.a,
      'PUT',
      '/api/portal/settings',
      { tenant: { shopName: 'Мой' } },
      {
        'if-match': second.headers.get('etag') ?? '',
      },
    );
    expect(retried.status).toBe(200);
    expect(retried.body.tenant.shopName).toBe('Мой');
  });

  it('a save without If-Match is 428 naming the header; a malformed one 400; * overwrites knowingly', async () => {
    const setup = await twoPortals();
    fixture = setup.fixture;
    const body = { tenant: { shopName: 'X' } };
    const missing = await api(fixture, setup.a, 'PUT', '/api/portal/settings', body);
    expect(missing.status).toBe(428);
    expect(missing.body).toMatchObject({ error: 'precondition_required', field: 'If-Match' });
    const garbage = await api(fixture, setup.a, 'PUT', '/api/portal/settings', body, {
      'if-match': 'yesterday',
    });
    expect(garbage.status).toBe(400);
    expect(garbage.body.issues[0].path).toBe('If-Match');
    expect((await portalOf(fixture, setup.a.memberId)).settings.tenant).toEqual({});
    const forced = await api(fixture, setup.a, 'PUT', '/api/portal/settings', body, { 'if-match': '*' });
    expect(forced.status).toBe(200);
    expect((await portalOf(fixture, setup.a.memberId)).settings.tenant).toMatchObject({ shopName: 'X' });
  });

  it('rotates the intake secret: the new one shown once, the old one still accepted within 24 h', async () => {
    const setup = await twoPortals();
    fixture = setup.fixture;
    const before = await portalOf(fixture, setup.a.memberId);
    const old = before.secrets['intake.secret'] ?? '';
    const rotated = await api(fixture, setup.a, 'POST', '/api/portal/intake-secret/rotate');
    expect(rotated.status).toBe(200);
    const fresh = rotated.body.secret as string;
    expect(fresh).not.toBe(old);
    expect(rotated.body.previousValidUntil).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    const shown = await api(fixture, setup.a, 'GET', '/api/portal/settings');
    expect(shown.text).not.toContain(fresh);
    expect(shown.text).not.toContain(old);
    const intake = (secret: string) =>
      fetch(`${fixture?.config.publicUrl}/p/${before.portalKey}/leads`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Анна', phone: '89161234567' }),
      });
    expect((await intake(old)).status).toBe(202);
    expect((await intake(fresh)).status).toBe(202);
    expect((await intake('wrong-secret-wrong-secret')).status).toBe(401);
  });
});
