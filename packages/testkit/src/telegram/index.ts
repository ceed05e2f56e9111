export { type BotApiAnswer, botApiError } from './bot-api.js';
export type { ChatBehaviour, SimChat } from './chats.js';
export * from './credentials.js';
export { type MessageEntity, ParseEntitiesError } from './message-entity.js';
export { parseHtml } from './parse-html.js';
export { DEFAULT_TELEGRAM_LIMITS, type RateRule, type TelegramLimits } from './rate-limiter.js';
export {
  DEFAULT_TELEGRAM_CHATS,
  startTelegramSim,
  TELEGRAM_DEFAULT_FAULT,
  type TelegramSim,
  type TelegramSimOptions,
} from './telegram-sim.js';
export { type TelegramMessageRecord, type TelegramRejection, TelegramState } from './telegram-state.js';
