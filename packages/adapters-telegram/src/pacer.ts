/**
 * Spaces messages to one chat: Telegram allows about one message a second per chat and twenty a
 * minute per group (MESSAGING.md §4). Each chat has the earliest instant its next message may go;
 * taking a turn moves it on by the chat's interval. Synchronous, so concurrent notices to the same
 * chat queue up in the order they asked, and chats never wait for each other.
 */
export class ChatPacer {
  readonly #nextAt = new Map<string, number>();
  readonly #intervalMs: (chatId: string) => number;
  readonly #now: () => number;

  constructor(intervalMs: (chatId: string) => number, now: () => number) {
    this.#intervalMs = intervalMs;
    this.#now = now;
  }

  /**
   * Takes the chat's next turn if it comes within `maxWaitMs`, returning how long to wait for it;
   * otherwise takes nothing and returns `{ busyForMs }`, the wait the caller would have had.
   */
  take(chatId: string, maxWaitMs: number): { waitMs: number } | { busyForMs: number } {
    const now = this.#now();
    const at = Math.max(now, this.#nextAt.get(chatId) ?? now);
    const waitMs = at - now;
    if (waitMs > maxWaitMs) return { busyForMs: waitMs };
    this.#nextAt.set(chatId, at + this.#intervalMs(chatId));
    return { waitMs };
  }

  /** How long the chat's next turn is away (0: now), taking nothing. */
  peek(chatId: string): number {
    const now = this.#now();
    return Math.max(0, (this.#nextAt.get(chatId) ?? now) - now);
  }

  /** The gap this chat's messages keep. */
  intervalOf(chatId: string): number {
    return this.#intervalMs(chatId);
  }

  /** Nothing more to this chat before `at` (Telegram said retry_after). */
  holdUntil(chatId: string, at: number): void {
    this.#nextAt.set(chatId, Math.max(at, this.#nextAt.get(chatId) ?? at));
  }
}
