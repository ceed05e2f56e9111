import type { ChatBehaviour, SimChat } from './chats.js';
import type { MessageEntity } from './message-entity.js';

/** A message the simulated bot sent. */
export interface TelegramMessageRecord {
  chatId: number;
  messageId: number;
  /** The text after entity parsing, as a user would see it. */
  text: string;
  /** The text exactly as the client sent it. */
  rawText: string;
  parseMode?: string;
  entities: MessageEntity[];
  disableNotification: boolean;
  /** The request's other fields (link_preview_options, reply_markup…), as received. */
  extra: Record<string, unknown>;
  at: Date;
}

/** A refused API call, kept so a test (and the state page) can see why. */
export interface TelegramRejection {
  method: string;
  chatId?: string | number;
  errorCode: number;
  description: string;
  at: Date;
}

/** What the Telegram simulator received, and its chats. */
export class TelegramState {
  readonly messages: TelegramMessageRecord[] = [];
  readonly rejections: TelegramRejection[] = [];
  readonly chats = new Map<number, SimChat>();
  readonly behaviours = new Map<number, ChatBehaviour>();
  readonly #nextMessageId = new Map<number, number>();

  /** Messages sent to one chat. */
  sentTo(chatId: number): TelegramMessageRecord[] {
    return this.messages.filter((m) => m.chatId === chatId);
  }

  nextMessageId(chatId: number): number {
    const id = (this.#nextMessageId.get(chatId) ?? 0) + 1;
    this.#nextMessageId.set(chatId, id);
    return id;
  }

  findChat(ref: string | number): SimChat | undefined {
    if (typeof ref === 'string' && ref.startsWith('@')) {
      const name = ref.slice(1).toLowerCase();
      return [...this.chats.values()].find((c) => c.username?.toLowerCase() === name);
    }
    const id = typeof ref === 'number' ? ref : /^-?\d+$/.test(ref) ? Number(ref) : Number.NaN;
    return this.chats.get(id);
  }
}
