import { describe, expect, it } from 'vitest';
import { createTelegramNotifier, telegramFromEnv } from '../src/index.js';

describe('telegramFromEnv', () => {
  it('reads the token, the chat and an optional API root', () => {
    const env = {
      TELEGRAM_BOT_TOKEN: '123:abc',
      TELEGRAM_CHAT_ID: '-100200',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
    };
    const settings = telegramFromEnv(env);
    expect(settings).toEqual({ token: '123:abc', chatId: '-100200', apiRoot: 'http://127.0.0.1:9' });
    expect(() => createTelegramNotifier(settings)).not.toThrow();
    expect(telegramFromEnv({ TELEGRAM_BOT_TOKEN: '1:a', TELEGRAM_CHAT_ID: '5' })).not.toHaveProperty(
      'apiRoot',
    );
  });

  it('names every missing variable', () => {
    expect(() => telegramFromEnv({})).toThrow(
      '@prozvon/adapters-telegram: TELEGRAM_BOT_TOKEN: not set\n@prozvon/adapters-telegram: TELEGRAM_CHAT_ID: not set',
    );
  });
});
