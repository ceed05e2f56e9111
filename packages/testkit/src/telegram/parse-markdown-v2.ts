import { ParseEntitiesError } from './message-entity.js';

// MarkdownV2 reserves `_ * [ ] ( ) ~ \` > # + - = | { } . !` outside code and link targets
// (MESSAGING.md §4). These can never open markup, so unescaped they are always an error.
const ALWAYS_ESCAPED = new Set(['#', '+', '-', '=', '{', '}', '.', '!']);

/**
 * A partial MarkdownV2 check: it refuses an unescaped character that can never start markup
 * (`.` `!` `-` `+` `=` `#` `{` `}`) outside code spans and link targets, which is the mistake phone
 * numbers and prices cause, with Telegram's wording. It does not build entities: the returned
 * text is the input with escapes removed and markup characters left in place. (Prozvon sends HTML, which the
 * simulator checks fully.)
 */
export function checkMarkdownV2(input: string): { text: string } {
  let out = '';
  let inCode: '`' | '```' | undefined;
  let codeStart = 0;
  let inLinkTarget = false;
  for (let i = 0; i < input.length; i++) {
    const char = input[i] as string;
    if (char === '\\') {
      const next = input[i + 1];
      if (next === undefined)
        throw new ParseEntitiesError(
          "Character '\\' is reserved and must be escaped with the preceding '\\'",
        );
      out += next;
      i += 1;
      continue;
    }
    if (input.startsWith('```', i)) {
      if (inCode === undefined) codeStart = i;
      inCode = inCode === '```' ? undefined : inCode === undefined ? '```' : inCode;
      out += '```';
      i += 2;
      continue;
    }
    if (char === '`' && inCode !== '```') {
      if (inCode === undefined) codeStart = i;
      inCode = inCode === '`' ? undefined : '`';
      out += char;
      continue;
    }
    if (inCode) {
      out += char;
      continue;
    }
    if (char === ']' && input[i + 1] === '(') {
      inLinkTarget = true;
      out += '](';
      i += 1;
      continue;
    }
    if (inLinkTarget) {
      if (char === ')') inLinkTarget = false;
      out += char;
      continue;
    }
    if (ALWAYS_ESCAPED.has(char)) {
      throw new ParseEntitiesError(
        `Character '${char}' is reserved and must be escaped with the preceding '\\'`,
      );
    }
    out += char;
  }
  if (inCode) {
    // Wording from memory of Telegram's answers ("Can't find end of … entity"), not verified.
    const kind = inCode === '`' ? 'Code' : 'Pre';
    throw new ParseEntitiesError(
      `Can't find end of ${kind} entity at byte offset ${Buffer.byteLength(input.slice(0, codeStart))}`,
    );
  }
  return { text: out.trim() };
}
