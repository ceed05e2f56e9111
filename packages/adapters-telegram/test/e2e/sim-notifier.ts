import {
  startTelegramSim,
  TELEGRAM_TEST_CHAT_ID,
  TELEGRAM_TEST_TOKEN,
  type TelegramSim,
  type TelegramSimOptions,
} from '@prozvon/testkit';
import { afterEach } from 'vitest';
import { createTelegramNotifier, type TelegramNotifierOptions } from '../../src/notifier.js';
import { fakeClock } from '../support/fake-clock.js';

/**
 * For one test file: a function that starts the Bot API simulator and a notifier pointed at it
 * (the simulator's bot, its private chat unless `defaults` or `options` say otherwise). The two
 * share one fake clock, so waiting out a pacer or a flood limit takes no real time. The simulator
 * closes after each test.
 */
export function useSimNotifier(defaults: Partial<TelegramNotifierOptions> = {}) {
  let sim: TelegramSim | undefined;
  afterEach(() => sim?.close());
  return async (
    simOptions: Omit<TelegramSimOptions, 'now'> = {},
    options: Partial<TelegramNotifierOptions> = {},
  ) => {
    const { clock, now, sleep } = fakeClock(Date.UTC(2026, 10, 25, 12));
    sim = await startTelegramSim({ ...simOptions, now });
    const notifier = createTelegramNotifier({
      token: TELEGRAM_TEST_TOKEN,
      chatId: TELEGRAM_TEST_CHAT_ID,
      apiRoot: sim.url,
      now,
      sleep,
      ...defaults,
      ...options,
    });
    return { sim, notifier, clock };
  };
}
