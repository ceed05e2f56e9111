// @prozvon/adapters-telegram: NotifierPort on grammY's Bot API client.
export { TelegramNotifierConfig } from './config.js';
export { type FormatOptions, formatNotice } from './format-notice.js';
export { formatShopAlert } from './format-shop-alert.js';
export { telegramFromEnv } from './from-env.js';
export { escapeHtml } from './html.js';
export {
  createTelegramNotifier,
  type NotifyOptions,
  type TelegramNotifier,
  type TelegramNotifierOptions,
} from './notifier.js';
