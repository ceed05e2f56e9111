import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Notice,
  type NotifierPort,
  parseSettings,
  RateLimitedError,
  type ShopAlert,
} from '@prozvon/sdk';
import { Api, GrammyError } from 'grammy';
import { defaultIntervalMs, TelegramNotifierConfig } from './config.js';
import { deadlinePassed } from './deadline.js';
import { toNotifierError } from './errors.js';
import { type DigestItem, fittingCount, formatDigest, formatDigestEntry } from './format-digest.js';
import { formatNotice } from './format-notice.js';
import { formatShopAlert } from './format-shop-alert.js';
import { NoticeQueue } from './notice-queue.js';
import { ChatPacer } from './pacer.js';

export interface TelegramNotifierOptions extends TelegramNotifierConfig {
  /**
   * Told when Telegram reports the group became a supergroup: the notifier already writes to the
   * new id for the rest of its life; persist it so the next process starts there too.
   */
  readonly onChatMigrated?: (from: string | number, to: number) => void;
  /** Injected time, so tests (and a simulator on the same clock) need not wait in real time. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * What the engine passes with a call (the SDK's CallOptions): `signal` carries its deadline. A
 * notice still waiting for its turn when it aborts is dropped and rejects with a TransientError.
 */
export interface NotifyOptions {
  readonly signal?: AbortSignal;
}

export interface TelegramNotifier extends NotifierPort {
  notify(notice: Notice | ShopAlert, options?: NotifyOptions): Promise<void>;
  /** Where notices go now (changes once if the group migrates). */
  readonly chatId: string | number;
}

/** A notice waiting for its turn, formatted both ways: alone, and as a digest's entry. */
interface Pending extends DigestItem {
  readonly alone: string;
}

/**
 * NotifierPort on grammY's `Api` (no `Bot`: we only send). A notice to an idle chat is one HTML
 * message; notices that come while the chat is busy wait for its next turn and go out together as
 * one digest, so a group's 20 messages a minute carry any number of leads. Call outcomes go
 * silently, since they are frequent and need no action. Flood control is handled here, bounded: a
 * 429 is waited out while its retry_after is short, a per-chat pacer keeps us under the limits,
 * and any longer wait is handed back to the engine as a RateLimitedError so a worker is never
 * held for a minute.
 */
export function createTelegramNotifier(options: TelegramNotifierOptions): TelegramNotifier {
  const { onChatMigrated, now = Date.now, sleep: wait = (ms: number) => sleep(ms), ...settings } = options;
  // A SettingsError never shows the values: one of them is the bot token.
  const config = parseSettings(TelegramNotifierConfig, settings, '@prozvon/adapters-telegram');
  const api = new Api(config.token, {
    ...(config.apiRoot === undefined ? {} : { apiRoot: config.apiRoot }),
    timeoutSeconds: config.timeoutSeconds,
  });
  let chatId: string | number = config.chatId;
  let migrated = false;
  const pacer = new ChatPacer(
    (chat) => config.chatIntervalMs ?? defaultIntervalMs(/^-?\d+$/.test(chat) ? Number(chat) : chat),
    now,
  );

  async function takeTurn(chat: string | number): Promise<void> {
    const turn = pacer.take(String(chat), config.maxWaitMs);
    if ('busyForMs' in turn)
      throw new RateLimitedError(`Telegram: chat ${chat} is busy for ${turn.busyForMs} ms`, turn.busyForMs);
    if (turn.waitMs > 0) await wait(turn.waitMs);
  }

  /** Sends one message; its first turn was taken by the queue, each retry takes its own. */
  async function send(html: string, silent: boolean, signal: AbortSignal | undefined): Promise<void> {
    let retries = 0;
    let followed = false;
    for (let first = true; ; first = false) {
      const chat = chatId;
      if (!first) await takeTurn(chat);
      try {
        await api.sendMessage(
          chat,
          html,
          {
            parse_mode: 'HTML',
            link_preview_options: { is_disabled: true },
            ...(silent ? { disable_notification: true } : {}),
          },
          // grammY types its parameter with the abort-controller polyfill's AbortSignal; Node's is
          // what it actually uses (and what it gets from fetch).
          signal as Parameters<Api['sendMessage']>[3],
        );
        return;
      } catch (error) {
        if (signal?.aborted) throw deadlinePassed('before sendMessage answered', signal);
        if (!(error instanceof GrammyError)) throw toNotifierError(error, config.token);
        const retryAfterS = error.parameters.retry_after;
        if (error.error_code === 429) {
          const retryAfterMs = (retryAfterS ?? 1) * 1000;
          pacer.holdUntil(String(chat), now() + retryAfterMs);
          if (retries < config.maxRetries && retryAfterMs <= config.maxWaitMs) {
            retries += 1;
            continue;
          }
          throw new RateLimitedError(`Telegram 429: ${error.description}`, retryAfterMs, { cause: error });
        }
        const newChat = error.parameters.migrate_to_chat_id;
        if (newChat !== undefined && !followed) {
          followed = true;
          if (chatId === chat) {
            // A group is upgraded once: a second migration in one life would be a loop.
            if (migrated) throw toNotifierError(error, config.token);
            migrated = true;
            chatId = newChat;
            onChatMigrated?.(chat, newChat);
          }
          // Otherwise we already moved (defensive: messages go one at a time, so no other send
          // can have moved us meanwhile): just resend to where we are now.
          continue;
        }
        throw toNotifierError(error, config.token);
      }
    }
  }

  const queue = new NoticeQueue<Pending>({
    pace: {
      untilTurn: () => pacer.peek(String(chatId)),
      intervalMs: () => pacer.intervalOf(String(chatId)),
      take: () => void pacer.take(String(chatId), Number.POSITIVE_INFINITY),
    },
    maxWaitMs: config.maxWaitMs,
    sleep: wait,
    fitting: fittingCount,
    send: (batch, signal) =>
      send(
        batch.length === 1 ? (batch[0] as Pending).alone : formatDigest(batch),
        // Call outcomes need no action; a digest with anything else rings.
        batch.every((item) => item.kind === 'callOutcome'),
        signal,
      ),
  });
  const formatOptions = config.crmLeadUrl === undefined ? {} : { crmLeadUrl: config.crmLeadUrl };

  return {
    get chatId() {
      return chatId;
    },
    async notify(notice: Notice | ShopAlert, options?: NotifyOptions): Promise<void> {
      const pending: Pending =
        notice.kind === 'shopAlert'
          ? { kind: notice.kind, ...formatShopAlert(notice) }
          : {
              kind: notice.kind,
              alone: formatNotice(notice, formatOptions),
              entry: formatDigestEntry(notice, formatOptions),
            };
      return queue.submit(pending, options?.signal);
    },
  };
}
