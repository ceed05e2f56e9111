/** A chat the simulated bot can write to, in the shape of the Bot API's Chat object. */
export interface SimChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
}

/**
 * How a chat answers sendMessage:
 * - `ok` — delivered;
 * - `blocked` — a private chat's user blocked the bot (403);
 * - `kicked` — the bot was removed from a group (403);
 * - `not_member` — the bot is not in the supergroup/channel (403);
 * - `deactivated` — the user deleted their account (403);
 * - `{ migrateTo }` — a group became a supergroup with that id (400 + migrate_to_chat_id).
 */
export type ChatBehaviour =
  | 'ok'
  | 'blocked'
  | 'kicked'
  | 'not_member'
  | 'deactivated'
  | { migrateTo: number };

/** Telegram's texts for the 403s (GitHub TelegramBotAPI/errors); clients branch on the code. */
export function forbiddenText(
  behaviour: Exclude<ChatBehaviour, 'ok' | { migrateTo: number }>,
  chat: SimChat,
): string {
  const kind = chat.type === 'channel' ? 'channel' : chat.type === 'supergroup' ? 'supergroup' : 'group';
  switch (behaviour) {
    case 'blocked':
      return 'Forbidden: bot was blocked by the user';
    case 'kicked':
      return `Forbidden: bot was kicked from the ${kind} chat`;
    case 'not_member':
      return `Forbidden: bot is not a member of the ${kind} chat`;
    case 'deactivated':
      return 'Forbidden: user is deactivated';
  }
}
