import type { IncomingMessage, ServerResponse } from 'node:http';
import { Faults, type InjectedError, sendInjected } from '../core/faults.js';
import { listenOnLoopback } from '../core/loopback-server.js';
import { BodyError, readBody, sendJson } from '../core/read-body.js';
import { renderStatePage, sendHtml } from '../core/state-page.js';
import { type BotApiAnswer, botApiError, handleBotApi } from './bot-api.js';
import type { ChatBehaviour, SimChat } from './chats.js';
import {
  TELEGRAM_TEST_BOT_USERNAME,
  TELEGRAM_TEST_CHAT_ID,
  TELEGRAM_TEST_GROUP_ID,
  TELEGRAM_TEST_TOKEN,
} from './credentials.js';
import { DEFAULT_TELEGRAM_LIMITS, RateLimiter, type TelegramLimits } from './rate-limiter.js';
import { TelegramState } from './telegram-state.js';

export interface TelegramSimOptions {
  /** 0 (default): any free port. */
  port?: number;
  /** Milliseconds since the epoch, for rate-limit windows and message dates. Default `Date.now`. */
  now?: () => number;
  /** Bot tokens the server knows. Default: `[TELEGRAM_TEST_TOKEN]`. */
  tokens?: string[];
  botUsername?: string;
  /** Chats that exist. Default: a seller's private chat and the sellers' supergroup. */
  chats?: SimChat[];
  /** Flood limits; a rule set to null is off. Defaults: DEFAULT_TELEGRAM_LIMITS. */
  limits?: Partial<TelegramLimits>;
}

export interface TelegramSim {
  /** The `apiRoot`: requests go to `${url}/bot<token>/<method>`. */
  readonly url: string;
  readonly port: number;
  readonly state: TelegramState;
  readonly faults: Faults;
  addChat(chat: SimChat): void;
  /** How a chat answers from now on; `{ migrateTo }` also creates the new supergroup. */
  behave(chatId: number, behaviour: ChatBehaviour): void;
  close(): Promise<void>;
}

export const DEFAULT_TELEGRAM_CHATS: readonly SimChat[] = [
  { id: TELEGRAM_TEST_CHAT_ID, type: 'private', first_name: 'Seller', username: 'prozvon_seller' },
  { id: TELEGRAM_TEST_GROUP_ID, type: 'supergroup', title: 'Prozvon sellers' },
];

/** What Telegram's front end gives while the Bot API is down: an nginx 502 page, not JSON. */
export const TELEGRAM_DEFAULT_FAULT: InjectedError = {
  status: 502,
  body: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.18.0</center></body></html>',
  headers: { 'content-type': 'text/html' },
};

/** A loopback Telegram Bot API: point grammY's `apiRoot` (or any client's base URL) at `url`. */
export async function startTelegramSim(options: TelegramSimOptions = {}): Promise<TelegramSim> {
  const now = options.now ?? Date.now;
  const state = new TelegramState();
  for (const chat of options.chats ?? DEFAULT_TELEGRAM_CHATS) state.chats.set(chat.id, { ...chat });
  const faults = new Faults(TELEGRAM_DEFAULT_FAULT);
  const ctx = {
    state,
    limiter: new RateLimiter(now),
    limits: { ...DEFAULT_TELEGRAM_LIMITS, ...options.limits },
    tokens: new Set(options.tokens ?? [TELEGRAM_TEST_TOKEN]),
    botUsername: options.botUsername ?? TELEGRAM_TEST_BOT_USERNAME,
    now,
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    if (req.method === 'GET' && url.pathname === '/') {
      sendHtml(res, statePage(state));
      return;
    }
    const injected = await faults.next();
    if (injected) {
      sendInjected(res, injected);
      return;
    }
    const params = await requestParams(req, url);
    const answer: BotApiAnswer =
      params === undefined
        ? botApiError(400, "Bad Request: can't parse JSON object")
        : handleBotApi(ctx, url.pathname, params);
    sendJson(res, answer.ok ? 200 : answer.error_code, answer);
  }

  const server = await listenOnLoopback(
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        if (res.headersSent) return res.destroy();
        if (error instanceof BodyError)
          return sendJson(res, error.status, botApiError(error.status, error.message));
        sendJson(res, 500, botApiError(500, 'Internal Server Error'));
      });
    },
    options.port === undefined ? {} : { port: options.port },
  );

  return {
    url: server.url,
    port: server.port,
    state,
    faults,
    addChat: (chat) => state.chats.set(chat.id, { ...chat }),
    behave(chatId, behaviour) {
      state.behaviours.set(chatId, behaviour);
      if (typeof behaviour === 'object' && !state.chats.has(behaviour.migrateTo)) {
        const old = state.chats.get(chatId);
        state.chats.set(behaviour.migrateTo, {
          id: behaviour.migrateTo,
          type: 'supergroup',
          ...(old?.title ? { title: old.title } : {}),
        });
      }
    },
    close: () => server.close(),
  };
}

/**
 * The query string plus a JSON, form or multipart body, as the Bot API accepts all of them.
 * Undefined when a JSON body does not parse (Telegram answers 400 then).
 */
async function requestParams(req: IncomingMessage, url: URL): Promise<Record<string, unknown> | undefined> {
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  let body: Awaited<ReturnType<typeof readBody>>;
  try {
    body = await readBody(req);
  } catch (error) {
    if (error instanceof BodyError && error.status === 400) return undefined;
    throw error;
  }
  if (body.form) Object.assign(params, Object.fromEntries(body.form));
  if (body.json !== undefined) {
    if (typeof body.json !== 'object' || body.json === null || Array.isArray(body.json)) return undefined;
    Object.assign(params, body.json);
  }
  return params;
}

function statePage(state: TelegramState): string {
  return renderStatePage('Telegram Bot API simulator', [
    {
      heading: 'Messages',
      rows: state.messages.map((m) => ({
        at: m.at,
        chat: m.chatId,
        message_id: m.messageId,
        parse_mode: m.parseMode,
        text: m.text,
        silent: m.disableNotification || undefined,
      })),
    },
    { heading: 'Refused calls', rows: state.rejections },
    { heading: 'Chats', rows: [...state.chats.values()] },
  ]);
}
