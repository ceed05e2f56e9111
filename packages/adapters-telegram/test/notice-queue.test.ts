import { RateLimitedError, TransientError } from '@prozvon/sdk';
import { describe, expect, it } from 'vitest';
import { NoticeQueue } from '../src/notice-queue.js';
import { rejectionOf } from './support/msw.js';

/** A queue of strings on a fake clock, whose sends wait until the test answers them. */
function queue(options: { intervalMs?: number; maxWaitMs?: number; perMessage?: number } = {}) {
  const { intervalMs = 3_000, maxWaitMs = 10_000, perMessage = 100 } = options;
  const clock = { now: 0, nextAt: 0 };
  const sent: { batch: readonly string[]; signal: AbortSignal | undefined; answer: (e?: Error) => void }[] =
    [];
  const q = new NoticeQueue<string>({
    pace: {
      untilTurn: () => Math.max(0, clock.nextAt - clock.now),
      intervalMs: () => intervalMs,
      take: () => {
        clock.nextAt = Math.max(clock.now, clock.nextAt) + intervalMs;
      },
    },
    maxWaitMs,
    sleep: async (ms) => {
      clock.now += ms;
    },
    fitting: (items) => Math.max(1, Math.min(perMessage, items.length)),
    send: (batch, signal) =>
      new Promise<void>((resolve, reject) => {
        sent.push({ batch, signal, answer: (e) => (e ? reject(e) : resolve()) });
      }),
  });
  return { q, sent, clock };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('NoticeQueue', () => {
  it('sends the first at once and merges those that come while it is in flight', async () => {
    const { q, sent } = queue();
    const promises = ['a', 'b', 'c'].map((x) => q.submit(x));
    expect(sent.map((s) => s.batch)).toEqual([['a']]);
    sent[0]?.answer();
    await tick();
    expect(sent.map((s) => s.batch)).toEqual([['a'], ['b', 'c']]);
    sent[1]?.answer();
    await Promise.all(promises);
  });

  it('a notice already on its way is not dropped by its abort: it settles with its message', async () => {
    const { q, sent } = queue();
    const controller = new AbortController();
    const promise = q.submit('a', controller.signal);
    controller.abort();
    // Alone in its message, its own signal is the request's: the HTTP client gives up.
    expect(sent[0]?.signal?.aborted).toBe(true);
    sent[0]?.answer();
    await promise;
  });

  it('a digest’s request is abandoned only once every notice in it is', async () => {
    const { q, sent } = queue();
    const first = q.submit('a');
    const controllers = [new AbortController(), new AbortController()];
    const waiting = controllers.map((c, i) => q.submit(`w${i}`, c.signal));
    sent[0]?.answer();
    await first;
    await tick();
    const signal = sent[1]?.signal;
    controllers[0]?.abort();
    expect(signal?.aborted).toBe(false);
    controllers[1]?.abort();
    expect(signal?.aborted).toBe(true);
    sent[1]?.answer(new TransientError('aborted'));
    for (const promise of waiting) expect(await rejectionOf(promise)).toBeInstanceOf(TransientError);
  });

  it('a chat held past maxWaitMs hands every waiting notice back with the hold', async () => {
    const { q, sent, clock } = queue();
    const first = q.submit('a');
    const waiting = [q.submit('b'), q.submit('c')];
    clock.nextAt = clock.now + 40_000; // Telegram said retry_after 40
    sent[0]?.answer();
    await first;
    for (const promise of waiting) {
      const error = await rejectionOf(promise);
      expect(error).toBeInstanceOf(RateLimitedError);
      expect((error as RateLimitedError).retryAfterMs).toBe(40_000);
    }
    expect(sent).toHaveLength(1);
    // And the next one is refused at once, without being held in memory.
    expect(await rejectionOf(q.submit('d'))).toBeInstanceOf(RateLimitedError);
  });

  it('refuses a notice whose turn is further than maxWaitMs, counting the messages ahead of it', async () => {
    const { q, sent } = queue({ perMessage: 2, maxWaitMs: 6_000 });
    const promises = ['a', 'b', 'c', 'd', 'e'].map((x) => q.submit(x));
    // a now; b, c at 3 s; d, e at 6 s; f would be at 9 s.
    const error = await rejectionOf(q.submit('f'));
    expect((error as RateLimitedError).retryAfterMs).toBe(9_000);
    for (let i = 0; i < 3; i += 1) {
      sent[i]?.answer();
      await tick();
    }
    await Promise.all(promises);
    expect(sent.map((s) => s.batch)).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
  });
});
