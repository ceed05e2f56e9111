import { describe, expect, it } from 'vitest';
import { ParseEntitiesError } from '../../src/telegram/message-entity.js';
import { parseHtml } from '../../src/telegram/parse-html.js';

function refusal(html: string): string {
  try {
    parseHtml(html);
  } catch (error) {
    if (error instanceof ParseEntitiesError) return error.message;
    throw error;
  }
  throw new Error(`accepted: ${html}`);
}

describe('parseHtml', () => {
  it('turns tags into entities with UTF-16 offsets', () => {
    expect(parseHtml('Лид <b>Иван</b> 🙂 <i>ждёт</i>')).toEqual({
      text: 'Лид Иван 🙂 ждёт',
      entities: [
        { type: 'bold', offset: 4, length: 4 },
        { type: 'italic', offset: 12, length: 4 },
      ],
    });
  });

  it('decodes the four named entities and numeric ones, and leaves a stray & alone', () => {
    expect(parseHtml('a &lt;b&gt; &amp; &quot;q&quot; &#65;&#x42; AT&T &nbsp;').text).toBe(
      'a <b> & "q" AB AT&T &nbsp;',
    );
  });

  it('builds links, code, pre with a language, spoilers, quotes and nested tags', () => {
    const { text, entities } = parseHtml(
      '<a href="https://b24.example/crm/lead/details/7/">lead 7</a> <code>x</code> ' +
        '<pre><code class="language-ts">let a</code></pre> <span class="tg-spoiler">s</span> ' +
        '<tg-spoiler>t</tg-spoiler> <blockquote expandable>q</blockquote> <b>bold <u>both</u></b>',
    );
    expect(text).toBe('lead 7 x let a s t q bold both');
    expect(entities).toEqual([
      { type: 'text_link', offset: 0, length: 6, url: 'https://b24.example/crm/lead/details/7/' },
      { type: 'code', offset: 7, length: 1 },
      { type: 'pre', offset: 9, length: 5, language: 'ts' },
      { type: 'spoiler', offset: 15, length: 1 },
      { type: 'spoiler', offset: 17, length: 1 },
      { type: 'expandable_blockquote', offset: 19, length: 1 },
      { type: 'bold', offset: 21, length: 9 },
      { type: 'underline', offset: 26, length: 4 },
    ]);
  });

  it('trims the text and shifts entities', () => {
    expect(parseHtml('  <b> hi</b> ')).toEqual({
      text: 'hi',
      entities: [{ type: 'bold', offset: 0, length: 2 }],
    });
  });

  it('accepts tag names in any case', () => {
    expect(parseHtml('<B>x</B>').entities).toEqual([{ type: 'bold', offset: 0, length: 1 }]);
  });

  it.each([
    ['a stray <', 'price < 100', 'Unsupported start tag "" at byte offset 6'],
    ['an unknown tag', 'mail <kahn@inbox.ru>', 'Unsupported start tag "kahn@inbox.ru" at byte offset 5'],
    ['byte offsets in UTF-8', 'Цена <x>', 'Unsupported start tag "x" at byte offset 9'],
    ['a self-closing br', 'a<br/>b', 'Unsupported start tag "br/" at byte offset 1'],
    ['a < at the very end', 'a <b', 'Unclosed start tag at byte offset 2'],
    ['an unclosed tag', '<b>bold', 'Can\'t find end tag corresponding to start tag "b"'],
    ['a mismatched end tag', '<b>x</i>', 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'],
    ['an end tag with nothing open', 'x</b>', 'Unexpected end tag at byte offset 1'],
    ['an end tag without >', '<b>x</b', 'Unclosed end tag at byte offset 4'],
    [
      'a span without the spoiler class',
      '<span>x</span>',
      'Tag "span" must have class "tg-spoiler" at byte offset 0',
    ],
    ['an unterminated attribute', '<a href="x>y</a>', 'Unclosed start tag "a" at byte offset 0'],
  ])('refuses %s', (_name, html, message) => {
    expect(refusal(html)).toBe(message);
  });
});
