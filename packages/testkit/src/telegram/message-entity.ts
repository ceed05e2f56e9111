/** The Bot API's MessageEntity, for the types the simulator's parsers produce. */
export interface MessageEntity {
  type:
    | 'bold'
    | 'italic'
    | 'underline'
    | 'strikethrough'
    | 'spoiler'
    | 'text_link'
    | 'code'
    | 'pre'
    | 'blockquote'
    | 'expandable_blockquote'
    | 'custom_emoji';
  /** In UTF-16 code units, as the Bot API counts (and as JavaScript string indices do). */
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
}

/** Thrown by a parse-mode parser; the description is what Telegram puts after "can't parse entities: ". */
export class ParseEntitiesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParseEntitiesError';
  }
}

/** Telegram trims the parsed text and shifts or cuts entities to match. */
export function trimParsed(
  text: string,
  entities: MessageEntity[],
): { text: string; entities: MessageEntity[] } {
  const lead = text.length - text.trimStart().length;
  const trimmed = text.trim();
  const kept = entities.flatMap((entity) => {
    const start = Math.max(entity.offset - lead, 0);
    const end = Math.min(entity.offset + entity.length - lead, trimmed.length);
    return end > start ? [{ ...entity, offset: start, length: end - start }] : [];
  });
  kept.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text: trimmed, entities: kept };
}
