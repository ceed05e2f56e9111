import {
  type SmsSim,
  startSmsSim,
  startTelegramSim,
  TELEGRAM_TEST_GROUP_ID,
  TELEGRAM_TEST_TOKEN,
  type TelegramSim,
} from '@prozvon/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { PAID_TESTS_PER_HOUR } from '../../src/settings/provider-test-routes.js';
import { type AppFixture, startAppFixture } from '../app/app-fixture.js';
import { eventually } from '../app/app-requests.js';
import { api, type Caller, userToken } from './api-client.js';

describe('settings API: the test buttons run against the portal’s own providers', () => {
  let fixture: AppFixture | undefined;
  let sms: SmsSim | undefined;
  let telegram: TelegramSim | undefined;
  afterEach(async () => {
    await fixture?.close();
    await sms?.close();
    await telegram?.close();
  });

  async function setUp() {
    sms = await startSmsSim();
    telegram = await startTelegramSim();
    // The simulators are on loopback: allowed by the app's options, as an operator would list them.
    fixture = await startAppFixture({
      app: { smsBaseUrls: [sms.smsruProvider.config.baseUrl], telegramApiRoots: [telegram.url] },
    });
    await fixture.sim.installApp(fixture.b24App.clientId);
    fixture.sim.portal().addUser({ id: 2 });
    const admin: Caller = { token: await userToken(fixture), memberId: fixture.sim.portal().memberId };
    const seller: Caller = { token: await userToken(fixture, { userId: 2 }), memberId: admin.memberId };
    return { fixture, sms, telegram, admin, seller };
  }

  it('a test SMS goes through the portal’s gateway; a failure answers in the gateway’s own words', async () => {
    const { fixture, sms, admin, seller } = await setUp();
    // No gateway yet: the page is told so, nothing is sent.
    const none = await api(fixture, admin, 'POST', '/api/portal/test/sms', { phone: '+79160000001' });
    expect(none.status).toBe(502);
    expect(none.body.message).toMatch(/no SMS gateway connected/);

    const put = await api(
      fixture,
      admin,
      'PUT',
      '/api/portal/settings',
      {
        secrets: { smsProviders: [sms.smsruProvider] },
      },
      { 'if-match': '*' },
    );
    expect(put.status).toBe(200);
    const sent = await api(fixture, admin, 'POST', '/api/portal/test/sms', { phone: '+79160000001' });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ ok: true, provider: 'smsru', segments: 1 });
    expect(sms.state.sent('+79160000001').map((m) => m.text)).toEqual([sent.body.text]);

    sms.behave('+79160000002', 'blocked');
    const blocked = await api(fixture, admin, 'POST', '/api/portal/test/sms', { phone: '+79160000002' });
    expect(blocked.status).toBe(502);
    expect(blocked.body.error).toBe('provider_failed');
    expect(blocked.body.message).toMatch(/209|stop/i);

    const bad = await api(fixture, admin, 'POST', '/api/portal/test/sms', { phone: '8 916' });
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual([{ path: 'phone', message: expect.stringContaining('international') }]);
    expect(
      (await api(fixture, seller, 'POST', '/api/portal/test/sms', { phone: '+79160000001' })).status,
    ).toBe(403);
    expect(sms.state.sent()).toHaveLength(1);
  });

  it('bounds the paid tests: past the hour’s allowance a test SMS or call is 429 and nothing is sent', async () => {
    const { fixture, sms, admin } = await setUp();
    const put = await api(
      fixture,
      admin,
      'PUT',
      '/api/portal/settings',
      { secrets: { smsProviders: [sms.smsruProvider] } },
      { 'if-match': '*' },
    );
    expect(put.status).toBe(200);
    // A number each: the gateway itself refuses the same text to one number too often.
    const phones = Array.from(
      { length: PAID_TESTS_PER_HOUR },
      (_, i) => `+791600001${String(i).padStart(2, '0')}`,
    );
    for (const phone of phones) {
      const sent = await api(fixture, admin, 'POST', '/api/portal/test/sms', { phone });
      expect(sent.status, phone).toBe(200);
    }
    for (const path of ['/api/portal/test/sms', '/api/portal/test/call']) {
      const refused = await api(fixture, admin, 'POST', path, { phone: '+79160000002' });
      expect(refused.status, path).toBe(429);
      expect(refused.body).toMatchObject({ error: 'too_many_tests' });
      expect(refused.body.retryAfterS).toBeGreaterThan(0);
    }
    for (const phone of phones) expect(sms.state.sent(phone), phone).toHaveLength(1);
    expect(sms.state.sent('+79160000002')).toHaveLength(0);
  });

  it('a test Telegram message reaches the sellers’ chat; a bot not in the chat is told as Telegram says', async () => {
    const { fixture, telegram, admin } = await setUp();
    const put = await api(
      fixture,
      admin,
      'PUT',
      '/api/portal/settings',
      {
        providers: { telegram: { chatId: TELEGRAM_TEST_GROUP_ID, apiRoot: telegram.url } },
        secrets: { telegramBotToken: TELEGRAM_TEST_TOKEN },
      },
      { 'if-match': '*' },
    );
    expect(put.status).toBe(200);
    const sent = await api(fixture, admin, 'POST', '/api/portal/test/telegram');
    expect(sent.status).toBe(200);
    expect(telegram.state.messages.filter((m) => m.chatId === TELEGRAM_TEST_GROUP_ID)).toHaveLength(1);

    telegram.behave(TELEGRAM_TEST_GROUP_ID, 'not_member');
    const refused = await api(fixture, admin, 'POST', '/api/portal/test/telegram');
    expect(refused.status).toBe(502);
    expect(refused.body.message).toMatch(/not a member|forbidden/i);
  });

  it('a test call goes through the portal’s telephony and answers the provider’s session, or its refusal', async () => {
    fixture = await startAppFixture({ calls: { '79160000001': 'answers' } });
    const f = fixture;
    await f.sim.installApp(f.b24App.clientId);
    const admin: Caller = { token: await userToken(f), memberId: f.sim.portal().memberId };
    const leadsBefore = f.leadCounts();
    const started = await api(f, admin, 'POST', '/api/portal/test/call', { phone: '+79160000001' });
    expect(started.status).toBe(200);
    expect(started.body).toEqual({ ok: true, sessionId: expect.any(String) });
    await eventually(
      () => f.voximplant?.state.calls.map((call) => call.number) ?? [],
      (numbers) => numbers.some((n) => n.includes('79160000001')),
      'the test call dialled',
    );
    // Its result comes back to the voice route and is taken calmly; no lead was made of it.
    await f.voximplant?.state.settled();
    const callbacks = f.voximplant?.state.callbacks ?? [];
    expect(callbacks.length).toBeGreaterThan(0);
    for (const callback of callbacks) expect(callback.code).toBeLessThan(500);
    expect(f.logs.filter((line) => line.msg === 'request failed')).toEqual([]);
    expect(f.leadCounts()).toEqual(leadsBefore);

    // A portal without telephony is told so.
    const bare = await startAppFixture();
    try {
      await bare.sim.installApp(bare.b24App.clientId);
      const bareAdmin: Caller = { token: await userToken(bare), memberId: bare.sim.portal().memberId };
      const refused = await api(bare, bareAdmin, 'POST', '/api/portal/test/call', { phone: '+79160000001' });
      expect(refused.status).toBe(502);
      expect(refused.body.message).toMatch(/no telephony connected/);
    } finally {
      await bare.close();
    }
  });
});
