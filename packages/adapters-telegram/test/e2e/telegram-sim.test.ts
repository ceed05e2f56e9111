import { AuthError, type Notice, PermanentError, RateLimitedError, TransientError } from '@prozvon/sdk';
import { TELEGRAM_TEST_CHAT_ID, TELEGRAM_TEST_GROUP_ID, TELEGRAM_TEST_TOKEN } from '@prozvon/testkit';
import { Api, GrammyError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { rejectionOf } from '../support/msw.js';
import { useSimNotifier } from './sim-notifier.js';

// The notifier against the testkit's Bot API simulator, which parses HTML as Telegram does (and
// refuses what Telegram refuses) and enforces its flood limits. The simulator and the notifier
// share one fake clock, so waiting out a limit takes no real time.

const base = { leadId: 'L1', customerName: 'Иван', phone: '+79161234567' };
const hostileName = '</b><i>Иван & "Ко" <script>alert(1)</script> <3';
const notices: Notice[] = [
  {
    ...base,
    key: 'n1',
    kind: 'newLead',
    customerName: hostileName,
    city: '<Москва>',
    partner: 'A&B',
    site: 'shop.example/?a=1&b=2',
    orderSum: 1999.9,
    currency: 'RUB',
    crmLeadId: '42',
    crmUrl: 'https://shop.bitrix24.ru/crm/lead/details/42/?from=tg&x="y"',
  },
  { ...base, key: 'n2', kind: 'crmFailed', reason: 'permanent', message: 'Field <PHONE> & co invalid' },
  { ...base, key: 'n3', kind: 'crmFailed', reason: 'auth', message: 'expired' },
  { ...base, key: 'n4', kind: 'manual', reason: 'no_answer', crmLeadId: '42' },
  { ...base, key: 'n5', kind: 'callOutcome', outcome: 'machine', attempt: 2 },
];

const setup = useSimNotifier({ crmLeadUrl: 'https://shop.bitrix24.ru/crm/lead/details/{id}/' });

describe('Telegram notifier against the simulator', () => {
  it('the simulator refuses unescaped customer text, as Telegram does', async () => {
    const { sim } = await setup();
    const api = new Api(TELEGRAM_TEST_TOKEN, { apiRoot: sim.url });
    const error = await rejectionOf(
      api.sendMessage(TELEGRAM_TEST_CHAT_ID, `Имя: ${hostileName}`, { parse_mode: 'HTML' }),
    );
    expect(error).toBeInstanceOf(GrammyError);
    expect((error as GrammyError).description).toMatch(/can't parse entities/);
  });

  it('delivers every kind of notice; what a customer typed shows as typed and formats nothing', async () => {
    const { sim, notifier } = await setup();
    for (const notice of notices) await notifier.notify(notice);
    expect(sim.state.rejections).toEqual([]);
    const messages = sim.state.sentTo(TELEGRAM_TEST_CHAT_ID);
    expect(messages).toHaveLength(notices.length);
    const [lead, crmFailed, crmAuth, manual, outcome] = messages;
    expect(lead?.parseMode).toBe('HTML');
    expect(lead?.text).toContain(`Имя: ${hostileName}`);
    expect(lead?.text).toContain('Город: <Москва>');
    expect(lead?.text).toContain('Сайт: shop.example/?a=1&b=2');
    expect(lead?.entities.map((e) => e.type).sort()).toEqual(['bold', 'code', 'text_link']);
    expect(lead?.entities.find((e) => e.type === 'text_link')?.url).toBe(
      'https://shop.bitrix24.ru/crm/lead/details/42/?from=tg&x=%22y%22',
    );
    expect(lead?.extra).toMatchObject({ link_preview_options: { is_disabled: true } });
    expect(crmFailed?.text).toContain('CRM отклонила лид (Field <PHONE> & co invalid)');
    expect(crmAuth?.text).toContain('обработайте вручную');
    expect(manual?.entities.find((e) => e.type === 'text_link')?.url).toBe(
      'https://shop.bitrix24.ru/crm/lead/details/42/',
    );
    expect(outcome?.text).toContain('Звонок: ответил автоответчик (попытка 2)');
    expect(outcome?.disableNotification).toBe(true);
  });

  it('delivers a shop alert: what to do, no customer, and it rings', async () => {
    const { sim, notifier } = await setup();
    await notifier.notify({
      kind: 'shopAlert',
      key: 'portal:p1:reinstall:1',
      reason: 'reinstall_needed',
      detail: 'invalid_grant <&>',
    });
    expect(sim.state.rejections).toEqual([]);
    const [message] = sim.state.sentTo(TELEGRAM_TEST_CHAT_ID);
    expect(message?.text).toContain('переустановите приложение');
    expect(message?.text).toContain('для ручной обработки');
    expect(message?.text).toContain('Подробности: invalid_grant <&>');
    expect(message?.entities.map((e) => e.type)).toEqual(['bold']);
    expect(message?.disableNotification).not.toBe(true);
  });

  it('with the default pacer, a burst of notices to one chat never hits the flood limit', async () => {
    const { sim, notifier, clock } = await setup();
    for (let i = 0; i < 6; i += 1) await notifier.notify(notices[4] as Notice);
    expect(sim.state.rejections).toEqual([]);
    expect(sim.state.sentTo(TELEGRAM_TEST_CHAT_ID)).toHaveLength(6);
    expect(clock.waits).toEqual([1_000, 1_000, 1_000, 1_000, 1_000]);
  });

  it('without pacing, waits out the 429 retry_after and delivers everything', async () => {
    const { sim, notifier, clock } = await setup({}, { chatIntervalMs: 0 });
    for (let i = 0; i < 4; i += 1) await notifier.notify(notices[4] as Notice);
    // The simulator allows a burst of three, then one a second.
    expect(sim.state.rejections.map((r) => r.errorCode)).toEqual([429]);
    expect(sim.state.sentTo(TELEGRAM_TEST_CHAT_ID)).toHaveLength(4);
    expect(clock.waits).toEqual([1_000]);
  });

  it('hands a long group limit back to the engine instead of holding the worker', async () => {
    const { sim, notifier, clock } = await setup(
      { limits: { chat: null, global: null, group: { max: 2, windowMs: 60_000 } } },
      { chatId: TELEGRAM_TEST_GROUP_ID, chatIntervalMs: 0 },
    );
    await notifier.notify(notices[4] as Notice);
    await notifier.notify(notices[4] as Notice);
    const error = await rejectionOf(notifier.notify(notices[4] as Notice));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(60_000);
    expect(clock.waits).toEqual([]);
    expect(sim.state.sentTo(TELEGRAM_TEST_GROUP_ID)).toHaveLength(2);
  });

  it('follows a group that became a supergroup, once, and keeps writing there', async () => {
    const group = -4001;
    const supergroup = -1004001;
    const migrations: unknown[] = [];
    const { sim, notifier } = await setup(
      { chats: [{ id: group, type: 'group', title: 'Продавцы' }] },
      { chatId: group, onChatMigrated: (from, to) => migrations.push([from, to]) },
    );
    sim.behave(group, { migrateTo: supergroup });
    await notifier.notify(notices[0] as Notice);
    await notifier.notify(notices[3] as Notice);
    expect(sim.state.sentTo(supergroup)).toHaveLength(2);
    expect(sim.state.rejections).toHaveLength(1);
    expect(migrations).toEqual([[group, supergroup]]);
  });

  it.each(['blocked', 'kicked', 'not_member', 'deactivated'] as const)(
    'a chat where the bot is %s is a PermanentError',
    async (behaviour) => {
      const { sim, notifier } = await setup();
      sim.behave(TELEGRAM_TEST_CHAT_ID, behaviour);
      const error = await rejectionOf(notifier.notify(notices[0] as Notice));
      expect(error).toBeInstanceOf(PermanentError);
      expect(error.message).toMatch(/^Telegram 403: Forbidden/);
    },
  );

  it('a chat that does not exist is a PermanentError', async () => {
    const { notifier } = await setup({}, { chatId: 999 });
    const error = await rejectionOf(notifier.notify(notices[0] as Notice));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toMatch(/chat not found/);
  });

  it('a token the server does not know is an AuthError', async () => {
    const { notifier } = await setup({ tokens: ['1:another-bot'] });
    expect(await rejectionOf(notifier.notify(notices[0] as Notice))).toBeInstanceOf(AuthError);
  });

  it('an outage (nginx 502 page) is transient; the next notice goes through', async () => {
    const { sim, notifier } = await setup({}, { chatIntervalMs: 0 });
    sim.faults.failNext(1);
    const error = await rejectionOf(notifier.notify(notices[0] as Notice));
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).not.toContain(TELEGRAM_TEST_TOKEN);
    await notifier.notify(notices[0] as Notice);
    expect(sim.state.sentTo(TELEGRAM_TEST_CHAT_ID)).toHaveLength(1);
  });

  it('a dropped connection is transient', async () => {
    const { sim, notifier } = await setup();
    sim.faults.failNext(1, 'reset');
    expect(await rejectionOf(notifier.notify(notices[0] as Notice))).toBeInstanceOf(TransientError);
  });
});
