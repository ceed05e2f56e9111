import { describe, expect, it } from 'vitest';
import { ParseEntitiesError } from '../../src/telegram/message-entity.js';
import { checkMarkdownV2 } from '../../src/telegram/parse-markdown-v2.js';

describe('checkMarkdownV2', () => {
  it('accepts escaped reserved characters and removes the escapes', () => {
    expect(checkMarkdownV2('*Лид* \\+7 999 000\\-00\\-01, 1500\\.00 ₽\\!').text).toBe(
      '*Лид* +7 999 000-00-01, 1500.00 ₽!',
    );
  });

  it('allows reserved characters inside code and link targets', () => {
    expect(() =>
      checkMarkdownV2('`+7-999` ```\n1.5\n``` [card](https://b24.example/lead/7.html)'),
    ).not.toThrow();
  });

  it.each([
    ['a dot', 'Order 1.5', '.'],
    ['a plus of a phone number', 'call +79990000001', '+'],
    ['a dash', 'a-b', '-'],
    ['an exclamation mark', 'Hi!', '!'],
  ])('refuses an unescaped %s with Telegram’s wording', (_name, text, char) => {
    expect(() => checkMarkdownV2(text)).toThrow(
      new ParseEntitiesError(`Character '${char}' is reserved and must be escaped with the preceding '\\'`),
    );
  });

  it('refuses an unclosed code span', () => {
    expect(() => checkMarkdownV2('x `code')).toThrow(/Can't find end of Code entity at byte offset 2/);
  });
});
