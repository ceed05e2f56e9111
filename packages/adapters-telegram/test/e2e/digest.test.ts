import { type Notice, PermanentError, RateLimitedError, TransientError } from '@prozvon/sdk';
import { TELEGRAM_TEST_CHAT_ID, TELEGRAM_TEST_GROUP_ID, type TelegramMessageRecord } from '@prozvon/testkit';
import { describe, expect, it } from 'vitest';
import { formatNotice } from '../../src/format-notice.js';
import type { TelegramNotifierOptions } from '../../src/notifier.js';
import { rejectionOf } from '../support/msw.js';
import { useSimNotifier } from './sim-notifier.js';

// A chat that is behind gets its waiting notices merged into one digest message, against the
// simulator, which enforces Telegram's 20 messages a minute in a group and its 4096 characters.
// The simulator and the notifier share a fake clock, so waiting out a pacer takes no real time.

const start = useSimNotifier({ chatId: TELEGRAM_TEST_GROUP_ID });
/** The simulator and a notifier writing to the sellers' group. */
const setup = (options: Partial<TelegramNotifierOptions> = {}) => start({}, options);

/** Lead `i`'s new-lead notice, with a name and a CRM link of its own. */
function lead(i: number, name = `Клиент ${i}`): Notice {
  return {
    kind: 'newLead',
    key: `lead:${i}:notify:new-lead`,
    leadId: `L${i}`,
    customerName: name,
    phone: `+7916000${String(i).padStart(4, '0')}`,
    city: 'Москва',
    orderSum: 1000 + i,
    currency: 'RUB',
    crmLeadId: String(100 + i),
    crmUrl: `https://shop.bitrix24.ru/crm/lead/details/${100 + i}/`,
  };
}

/** The messages whose text shows this notice's phone (unique per lead). */
function carrying(messages: TelegramMessageRecord[], notice: Notice) {
  return messages.filter((m) => m.text.includes(notice.phone));
}

/** The text of each link in a message, by its URL. */
function links(message: TelegramMessageRecord): Map<string, string> {
  const found = new Map<string, string>();
  for (const e of message.entities)
    if (e.type === 'text_link' && e.url !== undefined)
      found.set(e.url, message.text.slice(e.offset, e.offset + e.length));
  return found;
}

describe('Telegram notifier: a chat that is behind gets a digest', () => {
  it('25 notices to a group at once: a few messages, each lead once with its CRM link', async () => {
    const { sim, notifier } = await setup();
    const notices = Array.from({ length: 25 }, (_, i) => lead(i + 1));
    const results = await Promise.allSettled(notices.map((n) => notifier.notify(n)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(sim.state.rejections).toEqual([]);
    const messages = sim.state.sentTo(TELEGRAM_TEST_GROUP_ID);
    expect(messages.length).toBeLessThanOrEqual(5);
    for (const notice of notices) {
      const [message, ...again] = carrying(messages, notice);
      expect(again).toEqual([]);
      const crm = notice as Extract<Notice, { kind: 'newLead' }>;
      expect(links(message as TelegramMessageRecord).get(crm.crmUrl as string)).toBe(
        `Лид в CRM №${crm.crmLeadId}`,
      );
      expect(message?.text).toContain(crm.customerName);
    }
    // Newest last: the leads appear in the order they were submitted.
    const order = messages.flatMap((m) =>
      notices
        .filter((n) => m.text.includes(n.phone))
        .sort((a, b) => m.text.indexOf(a.phone) - m.text.indexOf(b.phone)),
    );
    expect(order).toEqual(notices);
    expect(messages.slice(1).every((m) => m.text.startsWith('🔔'))).toBe(true);
  });

  it('a lone notice still goes out as one message of its own', async () => {
    const { sim, notifier, clock } = await setup();
    await notifier.notify(lead(1));
    const [message, ...more] = sim.state.sentTo(TELEGRAM_TEST_GROUP_ID);
    expect(more).toEqual([]);
    expect(message?.rawText).toBe(formatNotice(lead(1)));
    expect(clock.waits).toEqual([]);
  });

  it('a digest past Telegram’s 4096 characters is split, and nothing is lost or sent twice', async () => {
    const { sim, notifier } = await setup({ maxWaitMs: 600_000 });
    const notices = Array.from({ length: 40 }, (_, i) => lead(i + 1, `${'Ж'.repeat(280)} ${i + 1}`));
    await Promise.all(notices.map((n) => notifier.notify(n)));
    expect(sim.state.rejections).toEqual([]);
    const messages = sim.state.sentTo(TELEGRAM_TEST_GROUP_ID);
    expect(messages.length).toBeGreaterThan(2);
    expect(messages.length).toBeLessThan(notices.length / 2);
    for (const notice of notices) expect(carrying(messages, notice)).toHaveLength(1);
  });

  it('a notice that would wait past maxWaitMs goes back to the engine, and is not sent later', async () => {
    const { sim, notifier } = await setup({ maxWaitMs: 3_000 });
    const notices = Array.from({ length: 60 }, (_, i) => lead(i + 1, `${'Ж'.repeat(280)} ${i + 1}`));
    const results = await Promise.allSettled(notices.map((n) => notifier.notify(n)));
    const messages = sim.state.sentTo(TELEGRAM_TEST_GROUP_ID);
    const refused = notices.filter((_, i) => results[i]?.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    for (const [i, result] of results.entries()) {
      const notice = notices[i] as Notice;
      if (result.status === 'fulfilled') {
        expect(carrying(messages, notice)).toHaveLength(1);
        continue;
      }
      expect(result.reason).toBeInstanceOf(RateLimitedError);
      expect((result.reason as RateLimitedError).retryAfterMs).toBeGreaterThan(3_000);
      expect(carrying(messages, notice)).toEqual([]);
    }
  });

  it('an aborted waiter rejects as transient and is not in the later message', async () => {
    const { sim, notifier } = await setup();
    const first = notifier.notify(lead(1));
    const controller = new AbortController();
    const aborted = notifier.notify(lead(2), { signal: controller.signal });
    const third = notifier.notify(lead(3));
    controller.abort();
    const error = await rejectionOf(aborted);
    expect(error).toBeInstanceOf(TransientError);
    await Promise.all([first, third]);
    const messages = sim.state.sentTo(TELEGRAM_TEST_GROUP_ID);
    expect(messages).toHaveLength(2);
    expect(carrying(messages, lead(2))).toEqual([]);
    // Left alone in its turn, the third is sent as a single notice.
    expect(messages[1]?.rawText).toBe(formatNotice(lead(3)));
  });

  it('a notice whose signal has already aborted is refused and never sent', async () => {
    const { sim, notifier } = await setup();
    const error = await rejectionOf(notifier.notify(lead(1), { signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(TransientError);
    expect(sim.state.messages).toEqual([]);
  });

  it('a digest Telegram refuses fails every notice in it together', async () => {
    const { sim, notifier } = await setup();
    const first = notifier.notify(lead(1));
    const waiting = [notifier.notify(lead(2)), notifier.notify(lead(3))];
    await first;
    sim.behave(TELEGRAM_TEST_GROUP_ID, 'kicked');
    for (const promise of waiting) expect(await rejectionOf(promise)).toBeInstanceOf(PermanentError);
    expect(sim.state.rejections).toHaveLength(1);
  });

  it('a private chat gets digests too, and silent ones only when every notice is a call outcome', async () => {
    const { sim, notifier } = await setup({ chatId: TELEGRAM_TEST_CHAT_ID });
    const outcome = (i: number): Notice => ({
      ...lead(i),
      kind: 'callOutcome',
      outcome: 'answered',
      attempt: 1,
    });
    await Promise.all([outcome(1), outcome(2), outcome(3)].map((n) => notifier.notify(n)));
    await Promise.all([outcome(4), outcome(5), lead(6)].map((n) => notifier.notify(n)));
    const messages = sim.state.sentTo(TELEGRAM_TEST_CHAT_ID);
    // The first alone, the next two merged; then one pacer wait, during which all three gather.
    expect(messages.map((m) => m.disableNotification)).toEqual([true, true, false]);
  });
});
