import { type MessageEntity, ParseEntitiesError, trimParsed } from './message-entity.js';

// The tags Telegram's HTML parse mode knows (MESSAGING.md §4); any other is refused.
const TAGS = new Set([
  'a',
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'span',
  'tg-spoiler',
  'tg-emoji',
  'tg-time',
  'code',
  'pre',
  'blockquote',
]);
const SIMPLE: Record<string, MessageEntity['type']> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
};
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

interface Open {
  tag: string;
  attributes: Map<string, string>;
  offset: number;
}

/**
 * Parses text in Telegram's HTML parse mode into plain text and entities, refusing what Telegram
 * refuses with its own wording: an unknown or stray `<` ("Unsupported start tag"), an unclosed
 * tag, a mismatched end tag. Offsets in messages are UTF-8 byte offsets, as Telegram gives them.
 * Modelled on how Telegram's server behaves; written from its documented rules and error texts.
 */
export function parseHtml(input: string): { text: string; entities: MessageEntity[] } {
  let out = '';
  const entities: MessageEntity[] = [];
  const stack: Open[] = [];
  const at = (index: number) => Buffer.byteLength(input.slice(0, index));
  let i = 0;
  while (i < input.length) {
    const char = input[i] as string;
    if (char === '&') {
      const decoded = decodeEntity(input, i);
      out += decoded?.text ?? '&';
      i = decoded?.end ?? i + 1;
      continue;
    }
    if (char !== '<') {
      out += char;
      i += 1;
      continue;
    }
    const tagStart = i;
    i += 1;
    if (input[i] === '/') {
      i += 1;
      const nameStart = i;
      while (i < input.length && !isSpace(input[i]) && input[i] !== '>') i += 1;
      const name = input.slice(nameStart, i).toLowerCase();
      while (i < input.length && isSpace(input[i])) i += 1;
      if (input[i] !== '>') throw new ParseEntitiesError(`Unclosed end tag at byte offset ${at(tagStart)}`);
      i += 1;
      const open = stack.pop();
      if (!open) throw new ParseEntitiesError(`Unexpected end tag at byte offset ${at(tagStart)}`);
      if (name !== '' && name !== open.tag) {
        throw new ParseEntitiesError(
          `Unmatched end tag at byte offset ${at(tagStart)}, expected "</${open.tag}>", found "</${name}>"`,
        );
      }
      close(open, out.length, entities);
      continue;
    }
    const nameStart = i;
    while (i < input.length && !isSpace(input[i]) && input[i] !== '>') i += 1;
    if (i >= input.length) throw new ParseEntitiesError(`Unclosed start tag at byte offset ${at(tagStart)}`);
    const tag = input.slice(nameStart, i).toLowerCase();
    if (!TAGS.has(tag))
      throw new ParseEntitiesError(`Unsupported start tag "${tag}" at byte offset ${at(tagStart)}`);
    const attributes = new Map<string, string>();
    i = readAttributes(input, i, tag, attributes, at(tagStart));
    if (tag === 'span' && attributes.get('class') !== 'tg-spoiler') {
      throw new ParseEntitiesError(`Tag "span" must have class "tg-spoiler" at byte offset ${at(tagStart)}`);
    }
    stack.push({ tag, attributes, offset: out.length });
  }
  const unclosed = stack.at(-1);
  if (unclosed)
    throw new ParseEntitiesError(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  return trimParsed(out, entities);
}

/** Reads `name="value"`, `name=token` and bare `name` attributes up to and past the closing `>`. */
function readAttributes(
  input: string,
  start: number,
  tag: string,
  into: Map<string, string>,
  byteOffset: number,
): number {
  let i = start;
  const unclosed = () => new ParseEntitiesError(`Unclosed start tag "${tag}" at byte offset ${byteOffset}`);
  while (true) {
    while (i < input.length && isSpace(input[i])) i += 1;
    if (i >= input.length) throw unclosed();
    if (input[i] === '>') return i + 1;
    const nameStart = i;
    while (i < input.length && !isSpace(input[i]) && !'=>/"\''.includes(input[i] as string)) i += 1;
    const name = input.slice(nameStart, i).toLowerCase();
    if (name === '')
      throw new ParseEntitiesError(`Empty attribute name in the tag "${tag}" at byte offset ${byteOffset}`);
    while (i < input.length && isSpace(input[i])) i += 1;
    if (input[i] !== '=') {
      if (i >= input.length) throw unclosed();
      into.set(name, '');
      continue;
    }
    i += 1;
    while (i < input.length && isSpace(input[i])) i += 1;
    if (i >= input.length) throw unclosed();
    const quote = input[i];
    let value = '';
    if (quote === '"' || quote === "'") {
      i += 1;
      while (i < input.length && input[i] !== quote) {
        const decoded = input[i] === '&' ? decodeEntity(input, i) : undefined;
        value += decoded?.text ?? input[i];
        i = decoded?.end ?? i + 1;
      }
      if (i >= input.length) throw unclosed();
      i += 1;
    } else {
      const tokenStart = i;
      while (i < input.length && /[A-Za-z0-9.-]/.test(input[i] as string)) i += 1;
      value = input.slice(tokenStart, i).toLowerCase();
      if (i < input.length && !isSpace(input[i]) && input[i] !== '>') {
        throw new ParseEntitiesError(
          `Unexpected end of name token at byte offset ${Buffer.byteLength(input.slice(0, tokenStart))}`,
        );
      }
    }
    into.set(name, value);
  }
}

function close(open: Open, end: number, entities: MessageEntity[]): void {
  const offset = open.offset;
  const length = end - offset;
  if (length <= 0) return;
  const simple = SIMPLE[open.tag];
  if (simple) {
    entities.push({ type: simple, offset, length });
    return;
  }
  switch (open.tag) {
    case 'a': {
      const url = open.attributes.get('href');
      if (url) entities.push({ type: 'text_link', offset, length, url });
      return;
    }
    case 'code': {
      const language = open.attributes.get('class')?.replace(/^language-/, '');
      entities.push({ type: 'code', offset, length, ...(language ? { language } : {}) });
      return;
    }
    case 'pre': {
      // <pre><code class="language-x">…</code></pre> is one pre entity with a language.
      const last = entities.at(-1);
      if (last?.type === 'code' && last.offset === offset && last.length === length) {
        entities.pop();
        entities.push({ type: 'pre', offset, length, ...(last.language ? { language: last.language } : {}) });
      } else {
        entities.push({ type: 'pre', offset, length });
      }
      return;
    }
    case 'blockquote':
      entities.push({
        type: open.attributes.has('expandable') ? 'expandable_blockquote' : 'blockquote',
        offset,
        length,
      });
      return;
    case 'tg-emoji': {
      const id = open.attributes.get('emoji-id') ?? '';
      if (!/^\d+$/.test(id)) throw new ParseEntitiesError('Invalid custom emoji identifier specified');
      entities.push({ type: 'custom_emoji', offset, length, custom_emoji_id: id });
      return;
    }
    default:
      // tg-time formats a date on the client; the simulator keeps only its text.
      return;
  }
}

/**
 * `&lt; &gt; &amp; &quot;` and numeric references are decoded; anything else after `&` is left as
 * text, as Telegram does (an unescaped `&` is tolerated, an unescaped `<` is not).
 */
function decodeEntity(input: string, start: number): { text: string; end: number } | undefined {
  const match = /^&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));/.exec(input.slice(start, start + 12));
  if (!match) return undefined;
  const [whole, decimal, hex, name] = match;
  const end = start + whole.length;
  if (name !== undefined) {
    const text = NAMED[name];
    return text === undefined ? undefined : { text, end };
  }
  const code = Number.parseInt(decimal ?? hex ?? '', decimal !== undefined ? 10 : 16);
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return { text: String.fromCodePoint(code), end };
}

function isSpace(char: string | undefined): boolean {
  return char !== undefined && /\s/.test(char);
}
