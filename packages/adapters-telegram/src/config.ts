import { z } from 'zod';

/** The settings of a Telegram notifier, as stored (the app's settings page, an SDK config file). */
export const TelegramNotifierConfig = z.object({
  /** The bot token from BotFather: `<bot id>:<secret>`. */
  token: z.string().regex(/^\d+:[\w-]+$/, 'expected a bot token like 123456:ABC-def'),
  /** A user's or group's numeric id (groups are negative, supergroups `-100…`) or `@channelname`. */
  chatId: z.union([
    z.number().int(),
    z
      .string()
      .regex(/^(-?\d+|@\w{4,})$/, 'expected a numeric chat id or @channelname')
      .transform((s) => (s.startsWith('@') ? s : Number(s))),
  ]),
  /** A Bot API server (a local one, or a simulator in tests); without a trailing slash, as grammY wants. */
  apiRoot: z
    .url({ protocol: /^https?$/ })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  /** The CRM lead's address with `{id}`, e.g. `https://shop.bitrix24.ru/crm/lead/details/{id}/`. */
  crmLeadUrl: z.string().includes('{id}').optional(),
  /** grammY's own default is 500 s, far longer than a notice may hold a worker. */
  timeoutSeconds: z.number().int().positive().default(15),
  /** Gap between two messages to one chat; default 1 s for a private chat, 3 s for a group or channel. */
  chatIntervalMs: z.number().int().nonnegative().optional(),
  /**
   * Longest a notice waits in-process (its chat's next turn, a 429 retry_after) before it is handed
   * back to the engine as a RateLimitedError. Kept well below the engine's 30 s effect lease, so a
   * waiting notice is never claimed again by another instance.
   */
  maxWaitMs: z.number().int().nonnegative().default(10_000),
  /** How many 429s one notice waits out before giving up with a RateLimitedError. */
  maxRetries: z.number().int().nonnegative().default(3),
});
export type TelegramNotifierConfig = z.input<typeof TelegramNotifierConfig>;

/** Telegram's flood limits: ≈1/s in a private chat, 20/min in a group (MESSAGING.md §4). */
export function defaultIntervalMs(chatId: string | number): number {
  return typeof chatId === 'number' && chatId > 0 ? 1_000 : 3_000;
}
