import { z } from 'zod';
import { forbiddenText, type SimChat } from './chats.js';
import { type MessageEntity, ParseEntitiesError } from './message-entity.js';
import { parseHtml } from './parse-html.js';
import { checkMarkdownV2 } from './parse-markdown-v2.js';
import type { RateLimiter, RateRule, TelegramLimits } from './rate-limiter.js';
import type { TelegramState } from './telegram-state.js';

/** The Bot API envelope: `{ ok: true, result }` or `{ ok: false, error_code, description, parameters? }`. */
export type BotApiAnswer =
  | { ok: true; result: unknown }
  | {
      ok: false;
      error_code: number;
      description: string;
      parameters?: { retry_after?: number; migrate_to_chat_id?: number };
    };

export interface BotApiContext {
  state: TelegramState;
  limiter: RateLimiter;
  limits: TelegramLimits;
  tokens: ReadonlySet<string>;
  botUsername: string;
  now(): number;
}

const MAX_TEXT = 4096;

/** Bot API error, with the HTTP status equal to error_code (as Telegram answers in practice). */
export function botApiError(
  errorCode: number,
  description: string,
  parameters?: { retry_after?: number; migrate_to_chat_id?: number },
): BotApiAnswer {
  return { ok: false, error_code: errorCode, description, ...(parameters ? { parameters } : {}) };
}

// Fields as JSON sends them; form fields arrive as strings and are coerced the way Telegram
// does (numbers in strings, "true"/"false", JSON text for object fields).
const SendMessageParams = z.looseObject({
  chat_id: z.union([z.number(), z.string()]).optional(),
  text: z.union([z.string(), z.number()]).optional(),
  parse_mode: z.string().optional(),
  entities: z.array(z.looseObject({ type: z.string(), offset: z.number(), length: z.number() })).optional(),
  disable_notification: z.union([z.boolean(), z.enum(['true', 'false', '1', '0', ''])]).optional(),
});

/** Routes `/bot<token>/<method>`. Method names are case-insensitive, as in the real API. */
export function handleBotApi(
  ctx: BotApiContext,
  path: string,
  params: Record<string, unknown>,
): BotApiAnswer {
  const match = /^\/bot([^/]*)\/([^/]+)$/.exec(path);
  // A path that is not /bot<token>/<method>, or a token that is not `<digits>:<secret>`, is 404;
  // a well-formed token the server does not know is 401 (GitHub TelegramBotAPI/errors).
  if (!match || !/^\d+:[\w-]+$/.test(match[1] ?? '')) return botApiError(404, 'Not Found');
  if (!ctx.tokens.has(match[1] as string)) return botApiError(401, 'Unauthorized');
  const token = match[1] as string;
  switch ((match[2] as string).toLowerCase()) {
    case 'getme':
      return { ok: true, result: botUser(token, ctx.botUsername, true) };
    case 'sendmessage':
      return sendMessage(ctx, token, params);
    default:
      return botApiError(404, 'Not Found');
  }
}

function botUser(token: string, username: string, full = false): Record<string, unknown> {
  const id = Number(token.split(':')[0]);
  const user = { id, is_bot: true, first_name: 'Prozvon Test Bot', username };
  return full
    ? { ...user, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false }
    : user;
}

function sendMessage(ctx: BotApiContext, token: string, raw: Record<string, unknown>): BotApiAnswer {
  const parsed = SendMessageParams.safeParse(coerceFormFields(raw));
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') ?? 'parameters';
    return reject(ctx, undefined, botApiError(400, `Bad Request: wrong type of the field "${field}"`));
  }
  const params = parsed.data;
  const chatRef = params.chat_id;
  if (chatRef === undefined || chatRef === '')
    return reject(ctx, chatRef, botApiError(400, 'Bad Request: chat_id is empty'));
  const rawText = params.text === undefined ? '' : String(params.text);
  if (rawText.trim() === '')
    return reject(ctx, chatRef, botApiError(400, 'Bad Request: message text is empty'));
  const mode = params.parse_mode ?? '';
  if (!['', 'html', 'markdownv2', 'markdown'].includes(mode.toLowerCase())) {
    return reject(ctx, chatRef, botApiError(400, 'Bad Request: unsupported parse_mode'));
  }
  const chat = ctx.state.findChat(chatRef);
  if (!chat) return reject(ctx, chatRef, botApiError(400, 'Bad Request: chat not found'));
  const behaviour = ctx.state.behaviours.get(chat.id) ?? 'ok';
  if (typeof behaviour === 'object') {
    return reject(
      ctx,
      chatRef,
      botApiError(400, 'Bad Request: group chat was migrated to a supergroup chat', {
        migrate_to_chat_id: behaviour.migrateTo,
      }),
    );
  }
  if (behaviour !== 'ok') return reject(ctx, chatRef, botApiError(403, forbiddenText(behaviour, chat)));

  let parsedText: { text: string; entities: MessageEntity[] };
  try {
    parsedText = parseText(rawText, mode.toLowerCase(), params.entities as MessageEntity[] | undefined);
  } catch (error) {
    if (!(error instanceof ParseEntitiesError)) throw error;
    return reject(ctx, chatRef, botApiError(400, `Bad Request: can't parse entities: ${error.message}`));
  }
  if (parsedText.text === '')
    return reject(ctx, chatRef, botApiError(400, 'Bad Request: message text is empty'));
  if (parsedText.text.length > MAX_TEXT)
    return reject(ctx, chatRef, botApiError(400, 'Bad Request: message is too long'));

  const rules = rulesFor(ctx.limits, chat);
  const wait = ctx.limiter.waitSeconds(rules);
  if (wait > 0) {
    return reject(
      ctx,
      chatRef,
      botApiError(429, `Too Many Requests: retry after ${wait}`, { retry_after: wait }),
    );
  }
  ctx.limiter.take(rules);

  const messageId = ctx.state.nextMessageId(chat.id);
  const at = new Date(ctx.now());
  const { chat_id: _c, text: _t, parse_mode: _p, entities: _e, disable_notification, ...extra } = params;
  ctx.state.messages.push({
    chatId: chat.id,
    messageId,
    text: parsedText.text,
    rawText,
    ...(mode === '' ? {} : { parseMode: mode }),
    entities: parsedText.entities,
    disableNotification:
      disable_notification === true || disable_notification === 'true' || disable_notification === '1',
    extra,
    at,
  });
  return {
    ok: true,
    result: {
      message_id: messageId,
      from: botUser(token, ctx.botUsername),
      chat,
      date: Math.floor(at.getTime() / 1000),
      text: parsedText.text,
      ...(parsedText.entities.length > 0 ? { entities: parsedText.entities } : {}),
      ...(extra.link_preview_options ? { link_preview_options: extra.link_preview_options } : {}),
    },
  };
}

function parseText(text: string, mode: string, entities: MessageEntity[] | undefined) {
  if (mode === 'html') return parseHtml(text);
  // Assumption: MarkdownV2 is only partly checked (see parse-markdown-v2.ts); legacy Markdown not at all.
  if (mode === 'markdownv2') return { ...checkMarkdownV2(text), entities: [] };
  return { text: text.trim(), entities: entities ?? [] };
}

function rulesFor(limits: TelegramLimits, chat: SimChat): (readonly [string, RateRule])[] {
  const rules: (readonly [string, RateRule])[] = [];
  if (limits.chat) rules.push([`chat:${chat.id}`, limits.chat]);
  if (limits.group && (chat.type === 'group' || chat.type === 'supergroup'))
    rules.push([`group:${chat.id}`, limits.group]);
  if (limits.global) rules.push(['global', limits.global]);
  return rules;
}

/** Form and query values are strings; Telegram reads numbers and JSON objects out of them. */
function coerceFormFields(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') {
      out[key] = value;
    } else if (key === 'chat_id' && /^-?\d+$/.test(value)) {
      out[key] = Number(value);
    } else if (/^[[{]/.test(value) && key !== 'text') {
      try {
        out[key] = JSON.parse(value) as unknown;
      } catch {
        out[key] = value;
      }
    } else {
      out[key] = value;
    }
  }
  return out;
}

function reject(ctx: BotApiContext, chatId: string | number | undefined, answer: BotApiAnswer): BotApiAnswer {
  if (!answer.ok) {
    ctx.state.rejections.push({
      method: 'sendMessage',
      ...(chatId === undefined ? {} : { chatId }),
      errorCode: answer.error_code,
      description: answer.description,
      at: new Date(ctx.now()),
    });
  }
  return answer;
}
