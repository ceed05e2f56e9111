import { AuthError, type Notice, PermanentError, RateLimitedError, TransientError } from '@prozvon/sdk';
import { delay, HttpResponse, http, type JsonBodyType } from 'msw';
import { describe, expect, it } from 'vitest';
import { createTelegramNotifier, type TelegramNotifierOptions } from '../src/notifier.js';
import { CHAT, SEND_MESSAGE, sent, TOKEN } from './support/bot-api.js';
import { fakeClock } from './support/fake-clock.js';
import { rejectionOf, useMsw } from './support/msw.js';

const notice: Notice = {
  kind: 'newLead',
  key: 'lead:1:notify:new-lead',
  leadId: 'L1',
  customerName: 'Иван & <b>Ко</b>',
  phone: '+79161234567',
  crmLeadId: '42',
};
const server = useMsw();

const refused = (code: number, description: string, parameters?: Record<string, number>) => ({
  ok: false,
  error_code: code,
  description,
  ...(parameters ? { parameters } : {}),
});

/** Answers each request with the next of `answers` (the last one repeats) and records the bodies. */
function answers(...list: { body: JsonBodyType | string; status?: number }[]) {
  const bodies: Record<string, unknown>[] = [];
  server.use(
    http.post(SEND_MESSAGE, async ({ request }) => {
      bodies.push((await request.json()) as Record<string, unknown>);
      const next = list[Math.min(bodies.length - 1, list.length - 1)] as (typeof list)[number];
      const init = { status: next.status ?? 200 };
      return typeof next.body === 'string'
        ? new HttpResponse(next.body, init)
        : HttpResponse.json(next.body, init);
    }),
  );
  return bodies;
}

/** A notifier on a fake clock: waits are recorded and pass instantly. */
function notifier(options: Partial<TelegramNotifierOptions> = {}) {
  const { clock, now, sleep } = fakeClock(1_000_000);
  const value = createTelegramNotifier({ token: TOKEN, chatId: CHAT, now, sleep, ...options });
  return { notifier: value, clock };
}

describe('Telegram notifier (wire format)', () => {
  it('sends one HTML message with previews off, the customer’s text escaped', async () => {
    const bodies = answers({ body: sent(CHAT) });
    await notifier().notifier.notify(notice);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({
      chat_id: CHAT,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    });
    expect(bodies[0]?.text).toContain('Имя: Иван &amp; &lt;b&gt;Ко&lt;/b&gt;');
    expect(bodies[0]).not.toHaveProperty('disable_notification');
  });

  it('accepts an API root with a trailing slash (grammY itself refuses one)', async () => {
    const seen: string[] = [];
    server.use(
      http.post(`https://bot-api.example/bot${TOKEN}/sendMessage`, ({ request }) => {
        seen.push(request.url);
        return HttpResponse.json(sent(CHAT));
      }),
    );
    await notifier({ apiRoot: 'https://bot-api.example/' }).notifier.notify(notice);
    expect(seen).toHaveLength(1);
  });

  it('sends call outcomes silently', async () => {
    const bodies = answers({ body: sent(CHAT) });
    await notifier().notifier.notify({ ...notice, kind: 'callOutcome', outcome: 'answered', attempt: 1 });
    expect(bodies[0]).toMatchObject({ disable_notification: true });
  });

  it('paces messages to one chat: one a second in a private chat', async () => {
    answers({ body: sent(CHAT) });
    const { notifier: n, clock } = notifier();
    await n.notify(notice);
    await n.notify(notice);
    await n.notify(notice);
    expect(clock.waits).toEqual([1_000, 1_000]);
  });

  it('paces a group slower, within its 20 messages a minute', async () => {
    const group = -1001002003004;
    server.use(http.post(SEND_MESSAGE, () => HttpResponse.json(sent(group))));
    const { notifier: n, clock } = notifier({ chatId: group });
    await n.notify(notice);
    await n.notify(notice);
    expect(clock.waits).toEqual([3_000]);
  });

  it('waits out a short 429 retry_after and sends', async () => {
    const bodies = answers(
      { body: refused(429, 'Too Many Requests: retry after 3', { retry_after: 3 }), status: 429 },
      { body: sent(CHAT) },
    );
    const { notifier: n, clock } = notifier({ chatIntervalMs: 0 });
    await n.notify(notice);
    expect(bodies).toHaveLength(2);
    expect(clock.waits).toEqual([3_000]);
  });

  it('gives a long 429 back to the engine as a RateLimitedError, without waiting', async () => {
    const bodies = answers({
      body: refused(429, 'Too Many Requests: retry after 40', { retry_after: 40 }),
      status: 429,
    });
    const { notifier: n, clock } = notifier();
    const error = await rejectionOf(n.notify(notice));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(40_000);
    expect(bodies).toHaveLength(1);
    expect(clock.waits).toEqual([]);
    // The chat stays held: the next notice does not hammer Telegram either.
    expect(await rejectionOf(n.notify(notice))).toBeInstanceOf(RateLimitedError);
    expect(bodies).toHaveLength(1);
  });

  it('stops after a few 429s in a row', async () => {
    const bodies = answers({
      body: refused(429, 'Too Many Requests: retry after 1', { retry_after: 1 }),
      status: 429,
    });
    const { notifier: n } = notifier({ chatIntervalMs: 0, maxRetries: 2 });
    const error = await rejectionOf(n.notify(notice));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(bodies).toHaveLength(3);
  });

  it('follows a group’s migration to a supergroup once, and keeps writing there', async () => {
    const group = -4001;
    const supergroup = -1004001;
    const bodies: unknown[] = [];
    server.use(
      http.post(SEND_MESSAGE, async ({ request }) => {
        const body = (await request.json()) as { chat_id: number };
        bodies.push(body.chat_id);
        return body.chat_id === group
          ? HttpResponse.json(
              refused(400, 'Bad Request: group chat was migrated to a supergroup chat', {
                migrate_to_chat_id: supergroup,
              }),
              { status: 400 },
            )
          : HttpResponse.json(sent(supergroup));
      }),
    );
    const migrations: unknown[] = [];
    const { notifier: n } = notifier({
      chatId: group,
      onChatMigrated: (from, to) => migrations.push([from, to]),
    });
    await n.notify(notice);
    await n.notify(notice);
    expect(bodies).toEqual([group, supergroup, supergroup]);
    expect(migrations).toEqual([[group, supergroup]]);
    expect(n.chatId).toBe(supergroup);
  });

  it('notices sent alongside each other during the migration all arrive; the move is reported once', async () => {
    const group = -4001;
    const supergroup = -1004001;
    const chats: unknown[] = [];
    const texts: string[] = [];
    server.use(
      http.post(SEND_MESSAGE, async ({ request }) => {
        const body = (await request.json()) as { chat_id: number; text: string };
        chats.push(body.chat_id);
        if (body.chat_id === supergroup) texts.push(body.text);
        return body.chat_id === group
          ? HttpResponse.json(
              refused(400, 'Bad Request: group chat was migrated to a supergroup chat', {
                migrate_to_chat_id: supergroup,
              }),
              { status: 400 },
            )
          : HttpResponse.json(sent(supergroup));
      }),
    );
    const migrations: unknown[] = [];
    const { notifier: n } = notifier({
      chatId: group,
      chatIntervalMs: 0,
      onChatMigrated: (from, to) => migrations.push([from, to]),
    });
    const leads = ['Анна', 'Борис', 'Вера'].map((customerName) => ({ ...notice, customerName }));
    await Promise.all(leads.map((lead) => n.notify(lead)));
    // One message at a time per chat: the first is re-sent to the supergroup, and the two that
    // waited meanwhile go there as one digest.
    expect(chats).toEqual([group, supergroup, supergroup]);
    for (const name of ['Анна', 'Борис', 'Вера'])
      expect(texts.filter((text) => text.includes(name))).toHaveLength(1);
    expect(migrations).toEqual([[group, supergroup]]);
  });

  it('does not follow a second migration (a loop, not an upgrade)', async () => {
    const bodies = answers({
      body: refused(400, 'Bad Request: group chat was migrated to a supergroup chat', {
        migrate_to_chat_id: -1009,
      }),
      status: 400,
    });
    const error = await rejectionOf(notifier({ chatId: -4001 }).notifier.notify(notice));
    expect(error).toBeInstanceOf(PermanentError);
    expect(bodies).toHaveLength(2);
  });

  it.each([
    [401, 'Unauthorized', AuthError],
    [404, 'Not Found', AuthError],
    [403, 'Forbidden: bot was blocked by the user', PermanentError],
    [403, 'Forbidden: bot was kicked from the supergroup chat', PermanentError],
    [400, 'Bad Request: chat not found', PermanentError],
    [400, "Bad Request: can't parse entities: Unsupported start tag", PermanentError],
    [500, 'Internal Server Error', TransientError],
  ] as const)('%i %s → %s, not retried', async (code, description, type) => {
    const bodies = answers({ body: refused(code, description), status: code });
    const error = await rejectionOf(notifier().notifier.notify(notice));
    expect(error).toBeInstanceOf(type);
    expect(error.message).toContain(description);
    expect(bodies).toHaveLength(1);
  });

  it('a network failure is transient, and the token appears nowhere in the error chain', async () => {
    server.use(http.post(SEND_MESSAGE, () => HttpResponse.error()));
    const error = await rejectionOf(notifier().notifier.notify(notice));
    expect(error).toBeInstanceOf(TransientError);
    expect(chainText(error)).not.toContain(TOKEN);
  });

  it('no answer within timeoutSeconds is transient (grammY’s own default would wait 500 s)', async () => {
    server.use(
      http.post(SEND_MESSAGE, async () => {
        await delay(3_000);
        return HttpResponse.json(sent(CHAT));
      }),
    );
    const error = await rejectionOf(notifier({ timeoutSeconds: 1 }).notifier.notify(notice));
    expect(error).toBeInstanceOf(TransientError);
    expect(chainText(error)).toMatch(/timed out/);
  });

  it('a proxy’s 502 page (not JSON) is transient, and the token is redacted', async () => {
    answers({ body: '<html>502 Bad Gateway</html>', status: 502 });
    const error = await rejectionOf(notifier().notifier.notify(notice));
    expect(error).toBeInstanceOf(TransientError);
    expect(chainText(error)).not.toContain(TOKEN);
    expect(chainText(error)).toContain('<token>');
  });

  it('validates its settings without echoing the token', () => {
    const call = () => createTelegramNotifier({ token: 'not-a-token secret', chatId: CHAT });
    expect(call).toThrow(/token/);
    expect(call).not.toThrow(/not-a-token secret/);
    expect(() => createTelegramNotifier({ token: TOKEN, chatId: 'sellers' })).toThrow(/chatId/);
    // One line per bad field, each naming the package and the field (the SDK's SettingsError).
    expect(() =>
      createTelegramNotifier({ token: 'not-a-token secret', chatId: 'sellers', timeoutSeconds: 0 }),
    ).toThrow(
      [
        '@prozvon/adapters-telegram: token: expected a bot token like 123456:ABC-def',
        '@prozvon/adapters-telegram: chatId: expected a numeric chat id or @channelname',
        '@prozvon/adapters-telegram: timeoutSeconds: Too small: expected number to be >0',
      ].join('\n'),
    );
    expect(createTelegramNotifier({ token: TOKEN, chatId: '-100123' }).chatId).toBe(-100123);
    expect(createTelegramNotifier({ token: TOKEN, chatId: '@prozvon_sellers' }).chatId).toBe(
      '@prozvon_sellers',
    );
  });
});

/** Every message and name in an error and its causes, as one string. */
function chainText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 10; depth += 1) {
    parts.push(current.name, current.message, String(current.stack));
    current = current.cause;
  }
  return parts.join('\n');
}
