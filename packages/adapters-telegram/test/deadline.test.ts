import { type Notice, TransientError } from '@prozvon/sdk';
import { delay, HttpResponse, http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { createTelegramNotifier, type TelegramNotifierOptions } from '../src/notifier.js';
import { CHAT, SEND_MESSAGE, sent, TOKEN } from './support/bot-api.js';
import { rejectionOf, useMsw } from './support/msw.js';

const notice: Notice = {
  kind: 'newLead',
  key: 'lead:1:notify:new-lead',
  leadId: 'L1',
  customerName: 'Анна',
  phone: '+79161234567',
  crmLeadId: '42',
};
const server = useMsw();

/** Answers sendMessage after `wait` (forever by default), counting the requests. */
function telegram(wait: Parameters<typeof delay>[0] = 'infinite') {
  const seen = { requests: 0 };
  server.use(
    http.post(SEND_MESSAGE, async () => {
      seen.requests++;
      await delay(wait);
      return HttpResponse.json(sent(CHAT));
    }),
  );
  return seen;
}

const notifier = (options: Partial<TelegramNotifierOptions> = {}) =>
  createTelegramNotifier({ token: TOKEN, chatId: CHAT, ...options });

describe('Telegram notifier and a call deadline', () => {
  it('a hung sendMessage is abandoned when the signal aborts: TransientError, deadline passed', async () => {
    const seen = telegram();
    const deadline = new AbortController();
    const sending = notifier().notify(notice, { signal: deadline.signal });
    await vi.waitFor(() => expect(seen.requests).toBe(1));
    deadline.abort();
    const error = await rejectionOf(sending);
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toMatch(/deadline passed before sendMessage answered/);
    expect(error.message).not.toContain(TOKEN);
  });

  it('a notice waiting for its chat’s turn stops waiting at the deadline, and nothing is sent', async () => {
    const seen = telegram(0);
    // A sleep that never ends and ignores the signal: the wait must still end at the deadline.
    const chat = notifier({ chatIntervalMs: 60_000, maxWaitMs: 120_000, sleep: () => new Promise(() => {}) });
    await chat.notify(notice);
    const deadline = new AbortController();
    const waiting = chat.notify(notice, { signal: deadline.signal });
    deadline.abort();
    const error = await rejectionOf(waiting);
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toMatch(/deadline passed while the notice waited/);
    expect(seen.requests).toBe(1);
  });

  it('the default sleep ends at the deadline too', async () => {
    const seen = telegram(0);
    const chat = notifier({ chatIntervalMs: 60_000, maxWaitMs: 120_000 });
    await chat.notify(notice);
    const deadline = new AbortController();
    const waiting = chat.notify(notice, { signal: deadline.signal });
    deadline.abort();
    expect(await rejectionOf(waiting)).toBeInstanceOf(TransientError);
    expect(seen.requests).toBe(1);
  });
});
