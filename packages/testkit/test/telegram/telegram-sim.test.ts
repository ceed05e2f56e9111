import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  TELEGRAM_TEST_BOT_ID,
  TELEGRAM_TEST_CHAT_ID,
  TELEGRAM_TEST_GROUP_ID,
  TELEGRAM_TEST_TOKEN,
} from '../../src/telegram/credentials.js';
import { startTelegramSim, type TelegramSim } from '../../src/telegram/telegram-sim.js';

let tg: TelegramSim;
let clock: number;
beforeEach(async () => {
  clock = Date.UTC(2026, 10, 25, 10, 0, 0);
  tg = await startTelegramSim({ now: () => clock });
});
afterEach(() => tg.close());

type Envelope = {
  ok: boolean;
  result?: Record<string, unknown>;
  error_code?: number;
  description?: string;
  parameters?: Record<string, number>;
};

async function call(method: string, body: Record<string, unknown>, token = TELEGRAM_TEST_TOKEN) {
  const res = await fetch(`${tg.url}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const envelope = (await res.json()) as Envelope;
  // The HTTP status equals error_code (MESSAGING.md §4), 200 on success.
  expect(res.status).toBe(envelope.ok ? 200 : envelope.error_code);
  return envelope;
}

const send = (body: Record<string, unknown>) => call('sendMessage', body);

describe('sendMessage', () => {
  it('answers { ok, result } with a realistic Message', async () => {
    const answer = await send({
      chat_id: TELEGRAM_TEST_CHAT_ID,
      text: 'Новый лид: <b>Иван</b>',
      parse_mode: 'HTML',
    });
    expect(answer).toEqual({
      ok: true,
      result: {
        message_id: 1,
        from: {
          id: TELEGRAM_TEST_BOT_ID,
          is_bot: true,
          first_name: 'Prozvon Test Bot',
          username: 'prozvon_test_bot',
        },
        chat: {
          id: TELEGRAM_TEST_CHAT_ID,
          type: 'private',
          first_name: 'Seller',
          username: 'prozvon_seller',
        },
        date: clock / 1000,
        text: 'Новый лид: Иван',
        entities: [{ type: 'bold', offset: 11, length: 4 }],
      },
    });
    expect(tg.state.sentTo(TELEGRAM_TEST_CHAT_ID)).toMatchObject([
      { messageId: 1, text: 'Новый лид: Иван', rawText: 'Новый лид: <b>Иван</b>', parseMode: 'HTML' },
    ]);
  });

  it('numbers messages per chat and echoes link_preview_options', async () => {
    await send({ chat_id: TELEGRAM_TEST_CHAT_ID, text: 'a' });
    const second = await send({
      chat_id: TELEGRAM_TEST_CHAT_ID,
      text: 'b',
      link_preview_options: { is_disabled: true },
      disable_notification: true,
    });
    expect(second.result).toMatchObject({ message_id: 2, link_preview_options: { is_disabled: true } });
    expect((await send({ chat_id: TELEGRAM_TEST_GROUP_ID, text: 'c' })).result?.message_id).toBe(1);
    expect(tg.state.messages[1]).toMatchObject({
      disableNotification: true,
      extra: { link_preview_options: { is_disabled: true } },
    });
  });

  it('accepts a form body, a query string and a multipart body', async () => {
    const form = await fetch(`${tg.url}/bot${TELEGRAM_TEST_TOKEN}/sendMessage`, {
      method: 'POST',
      body: new URLSearchParams({
        chat_id: String(TELEGRAM_TEST_CHAT_ID),
        text: 'form &amp; <i>x</i>',
        parse_mode: 'HTML',
      }),
    });
    expect(((await form.json()) as Envelope).result?.text).toBe('form & x');
    const query = new URLSearchParams({ chat_id: String(TELEGRAM_TEST_GROUP_ID), text: 'by GET' });
    const get = await fetch(`${tg.url}/bot${TELEGRAM_TEST_TOKEN}/sendMessage?${query}`);
    expect(((await get.json()) as Envelope).result?.text).toBe('by GET');
    const multipart = new FormData();
    multipart.set('chat_id', String(TELEGRAM_TEST_CHAT_ID));
    multipart.set('text', 'multipart');
    const mp = await fetch(`${tg.url}/bot${TELEGRAM_TEST_TOKEN}/sendMessage`, {
      method: 'POST',
      body: multipart,
    });
    expect(((await mp.json()) as Envelope).result?.text).toBe('multipart');
  });

  it('treats method names case-insensitively and finds a chat by @username', async () => {
    tg.addChat({ id: -1009990001, type: 'channel', title: 'News', username: 'prozvon_news' });
    expect((await call('SENDMESSAGE', { chat_id: '@prozvon_news', text: 'x' })).result?.chat).toMatchObject({
      id: -1009990001,
      type: 'channel',
    });
  });

  it('answers 401 Unauthorized to an unknown token and 404 to a malformed one or an unknown method', async () => {
    expect(await call('sendMessage', { chat_id: 1, text: 'x' }, '123:wrong')).toEqual({
      ok: false,
      error_code: 401,
      description: 'Unauthorized',
    });
    expect(await call('sendMessage', { chat_id: 1, text: 'x' }, 'not-a-token')).toEqual({
      ok: false,
      error_code: 404,
      description: 'Not Found',
    });
    expect(await call('sendTelepathy', {})).toEqual({ ok: false, error_code: 404, description: 'Not Found' });
    expect(tg.state.messages).toHaveLength(0);
  });

  it.each([
    ['no chat_id', { text: 'x' }, 'Bad Request: chat_id is empty'],
    ['no text', { chat_id: TELEGRAM_TEST_CHAT_ID }, 'Bad Request: message text is empty'],
    [
      'text of tags only',
      { chat_id: TELEGRAM_TEST_CHAT_ID, text: '<b> </b>', parse_mode: 'HTML' },
      'Bad Request: message text is empty',
    ],
    ['an unknown chat', { chat_id: 42, text: 'x' }, 'Bad Request: chat not found'],
    ['an unknown @username', { chat_id: '@nobody', text: 'x' }, 'Bad Request: chat not found'],
    [
      'an unknown parse_mode',
      { chat_id: TELEGRAM_TEST_CHAT_ID, text: 'x', parse_mode: 'BBCode' },
      'Bad Request: unsupported parse_mode',
    ],
    [
      'text over 4096',
      { chat_id: TELEGRAM_TEST_CHAT_ID, text: 'я'.repeat(4097) },
      'Bad Request: message is too long',
    ],
    [
      'a stray < in HTML',
      { chat_id: TELEGRAM_TEST_CHAT_ID, text: 'Сумма < 100', parse_mode: 'HTML' },
      'Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 11',
    ],
    [
      'an unclosed tag in HTML',
      { chat_id: TELEGRAM_TEST_CHAT_ID, text: '<b>Лид', parse_mode: 'HTML' },
      'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"',
    ],
    [
      'an unescaped dot in MarkdownV2',
      { chat_id: TELEGRAM_TEST_CHAT_ID, text: '1.5', parse_mode: 'MarkdownV2' },
      "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    ],
  ])('answers 400 for %s', async (_name, body, description) => {
    expect(await send(body)).toEqual({ ok: false, error_code: 400, description });
    expect(tg.state.messages).toHaveLength(0);
    expect(tg.state.rejections.at(-1)).toMatchObject({ errorCode: 400, description });
  });

  it('keeps the same text unparsed without parse_mode', async () => {
    expect((await send({ chat_id: TELEGRAM_TEST_CHAT_ID, text: 'Сумма < 100 <b>' })).result?.text).toBe(
      'Сумма < 100 <b>',
    );
  });

  it('answers 400 to a JSON body that does not parse', async () => {
    const res = await fetch(`${tg.url}/bot${TELEGRAM_TEST_TOKEN}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"chat_id":',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false, error_code: 400 });
  });
});

describe('chat behaviours', () => {
  it.each([
    ['blocked', TELEGRAM_TEST_CHAT_ID, 'Forbidden: bot was blocked by the user'],
    ['kicked', TELEGRAM_TEST_GROUP_ID, 'Forbidden: bot was kicked from the supergroup chat'],
    ['not_member', TELEGRAM_TEST_GROUP_ID, 'Forbidden: bot is not a member of the supergroup chat'],
    ['deactivated', TELEGRAM_TEST_CHAT_ID, 'Forbidden: user is deactivated'],
  ] as const)('answers 403 for a chat set to %s', async (behaviour, chatId, description) => {
    tg.behave(chatId, behaviour);
    expect(await send({ chat_id: chatId, text: 'x' })).toEqual({ ok: false, error_code: 403, description });
  });

  it('answers 400 with migrate_to_chat_id for a migrated group, and the new id works', async () => {
    tg.addChat({ id: -4001, type: 'group', title: 'Old sellers group' });
    tg.behave(-4001, { migrateTo: -1004001 });
    const refused = await send({ chat_id: -4001, text: 'x' });
    expect(refused).toEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: group chat was migrated to a supergroup chat',
      parameters: { migrate_to_chat_id: -1004001 },
    });
    const retried = await send({ chat_id: refused.parameters?.migrate_to_chat_id, text: 'x' });
    expect(retried.result?.chat).toEqual({ id: -1004001, type: 'supergroup', title: 'Old sellers group' });
  });

  it('can turn a chat back to ok', async () => {
    tg.behave(TELEGRAM_TEST_CHAT_ID, 'blocked');
    tg.behave(TELEGRAM_TEST_CHAT_ID, 'ok');
    expect((await send({ chat_id: TELEGRAM_TEST_CHAT_ID, text: 'x' })).ok).toBe(true);
  });
});

describe('flood limits', () => {
  it('answers 429 with retry_after once a chat exceeds its rate, on the injected clock', async () => {
    for (let i = 0; i < 3; i++)
      expect((await send({ chat_id: TELEGRAM_TEST_CHAT_ID, text: `m${i}` })).ok).toBe(true);
    const limited = await send({ chat_id: TELEGRAM_TEST_CHAT_ID, text: 'too fast' });
    expect(limited).toEqual({
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      parameters: { retry_after: 1 },
    });
    // Another chat is not affected.
    expect((await send({ chat_id: TELEGRAM_TEST_GROUP_ID, text: 'other chat' })).ok).toBe(true);
    clock += (limited.parameters?.retry_after ?? 0) * 1000;
    expect((await send({ chat_id: TELEGRAM_TEST_CHAT_ID, text: 'after waiting' })).ok).toBe(true);
    expect(tg.state.sentTo(TELEGRAM_TEST_CHAT_ID)).toHaveLength(4);
  });

  it('limits a group to 20 messages a minute', async () => {
    for (let i = 0; i < 20; i++) {
      clock += 1000;
      expect((await send({ chat_id: TELEGRAM_TEST_GROUP_ID, text: `m${i}` })).ok).toBe(true);
    }
    clock += 1000;
    const limited = await send({ chat_id: TELEGRAM_TEST_GROUP_ID, text: 'one too many' });
    expect(limited.error_code).toBe(429);
    expect(limited.parameters?.retry_after).toBeGreaterThan(1);
  });

  it('can be switched off', async () => {
    const relaxed = await startTelegramSim({ limits: { chat: null, group: null, global: null } });
    try {
      for (let i = 0; i < 10; i++) {
        const res = await fetch(`${relaxed.url}/bot${TELEGRAM_TEST_TOKEN}/sendMessage`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ chat_id: TELEGRAM_TEST_CHAT_ID, text: `m${i}` }),
        });
        expect(res.status).toBe(200);
      }
    } finally {
      await relaxed.close();
    }
  });
});

describe('the Telegram simulator', () => {
  it('answers getMe', async () => {
    expect(await call('getMe', {})).toMatchObject({
      ok: true,
      result: { id: TELEGRAM_TEST_BOT_ID, is_bot: true, username: 'prozvon_test_bot' },
    });
  });

  it('uses a token of the real shape by default', () => {
    expect(TELEGRAM_TEST_TOKEN).toMatch(/^\d+:[A-Za-z0-9_-]{35}$/);
  });

  it('shows messages newest first on GET /, escaped', async () => {
    await send({ chat_id: TELEGRAM_TEST_CHAT_ID, text: 'first &lt;script&gt;', parse_mode: 'HTML' });
    await send({ chat_id: TELEGRAM_TEST_CHAT_ID, text: 'second' });
    const html = await (await fetch(tg.url)).text();
    expect(html).toContain('Messages (2)');
    expect(html.indexOf('second')).toBeLessThan(html.indexOf('first'));
    expect(html).toContain('first &lt;script&gt;');
  });

  it('injects faults: an nginx 502 by default, a dropped socket in an outage', async () => {
    tg.faults.failNext(1);
    const res = await fetch(`${tg.url}/bot${TELEGRAM_TEST_TOKEN}/getMe`);
    expect(res.status).toBe(502);
    expect(await res.text()).toContain('502 Bad Gateway');
    tg.faults.outage();
    await expect(fetch(`${tg.url}/bot${TELEGRAM_TEST_TOKEN}/getMe`)).rejects.toThrow(TypeError);
    tg.faults.reset();
    expect((await call('getMe', {})).ok).toBe(true);
  });
});
