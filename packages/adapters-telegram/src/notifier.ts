import { setTimeout as sleep } from 'node:timers/promises';
import { type CallOptions, type Notice, type NotifierPort, RateLimitedError } from '@prozvon/sdk';
import { Api, GrammyError } from 'grammy';
import { defaultIntervalMs, TelegramNotifierConfig } from './config.js';
import { deadlinePassed, pacedWait } from './deadline.js';
import { toNotifierError } from './errors.js';
import { formatNotice } from './format-notice.js';
import { ChatPacer } from './pacer.js';

type GrammySignal = Parameters<Api['sendMessage']>[3];

export interface TelegramNotifierOptions extends TelegramNotifierConfig {
  /**
   * Told when Telegram reports the group became a supergroup: the notifier already writes to the
   * new id for the rest of its life; persist it so the next process starts there too.
   */
  readonly onChatMigrated?: (from: string | number, to: number) => void;
  /** Injected time, so tests (and a simulator on the same clock) need not wait in real time. */
  readonly now?: () => number;
  /** Waits for a chat's turn; `signal` is the notice's deadline (the wait ends there either way). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface TelegramNotifier extends NotifierPort {
  /** Where notices go now (changes once if the group migrates). */
  readonly chatId: string | number;
}

/**
 * NotifierPort on grammY's `Api` (no `Bot`: we only send). Each notice is one HTML message; call
 * outcomes go silently, since they are frequent and need no action. Flood control is handled
 * here, bounded: a 429 is waited out while its retry_after is short, a per-chat pacer keeps us
 * under the limits, and any longer wait is handed back to the engine as a RateLimitedError so a
 * worker is never held for a minute.
 */
export function createTelegramNotifier(options: TelegramNotifierOptions): TelegramNotifier {
  const {
    onChatMigrated,
    now = Date.now,
    sleep: wait = (ms: number, signal?: AbortSignal) => sleep(ms, undefined, signal ? { signal } : {}),
    ...settings
  } = options;
  const parsed = TelegramNotifierConfig.safeParse(settings);
  if (!parsed.success) {
    // Never the values: one of them is the bot token.
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new TypeError(`Telegram notifier settings are invalid: ${issues.join('; ')}`);
  }
  const config = parsed.data;
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

  async function takeTurn(chat: string | number, signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) throw deadlinePassed('before the notice was sent', signal);
    const turn = pacer.take(String(chat), config.maxWaitMs);
    if ('busyForMs' in turn)
      throw new RateLimitedError(`Telegram: chat ${chat} is busy for ${turn.busyForMs} ms`, turn.busyForMs);
    // The turn taken stays taken when the wait is abandoned: the chat's pace errs on the slow side.
    if (turn.waitMs > 0)
      await pacedWait(wait, turn.waitMs, signal, () =>
        deadlinePassed(
          `while the notice waited for chat ${chat}'s turn; nothing was sent`,
          signal as AbortSignal,
        ),
      );
  }

  async function send(html: string, silent: boolean, signal: AbortSignal | undefined): Promise<void> {
    let retries = 0;
    let followed = false;
    for (;;) {
      const chat = chatId;
      await takeTurn(chat, signal);
      try {
        // grammY takes a signal per call and aborts its fetch with it (alongside timeoutSeconds).
        // Its Node build types the signal as the `abort-controller` polyfill's; it only listens
        // for 'abort' on it, which the platform's AbortSignal does.
        await api.sendMessage(
          chat,
          html,
          {
            parse_mode: 'HTML',
            link_preview_options: { is_disabled: true },
            ...(silent ? { disable_notification: true } : {}),
          },
          signal as GrammySignal,
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
          // Otherwise a notice sent alongside already moved us: just resend to where we are now.
          continue;
        }
        throw toNotifierError(error, config.token);
      }
    }
  }

  return {
    get chatId() {
      return chatId;
    },
    async notify(notice: Notice, callOptions?: CallOptions): Promise<void> {
      const html = formatNotice(
        notice,
        config.crmLeadUrl === undefined ? {} : { crmLeadUrl: config.crmLeadUrl },
      );
      await send(html, notice.kind === 'callOutcome', callOptions?.signal);
    },
  };
}
