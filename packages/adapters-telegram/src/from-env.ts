import { type Env, envReader } from '@prozvon/sdk';
import type { TelegramNotifierConfig } from './config.js';

/**
 * The notifier's settings from `TELEGRAM_BOT_TOKEN` and `TELEGRAM_CHAT_ID`, and
 * `TELEGRAM_API_ROOT` when set (another Bot API server: a local one, or the testkit's simulator).
 * Throws naming every variable that is missing.
 */
export function telegramFromEnv(env: Env = process.env): TelegramNotifierConfig {
  const read = envReader('@prozvon/adapters-telegram', env);
  const token = read.need('TELEGRAM_BOT_TOKEN');
  const chatId = read.need('TELEGRAM_CHAT_ID');
  const apiRoot = read.optional('TELEGRAM_API_ROOT');
  return read.done({ token, chatId, ...(apiRoot === undefined ? {} : { apiRoot }) });
}
