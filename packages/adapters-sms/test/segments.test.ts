import { describe, expect, it } from 'vitest';
import { analyseSms, countSmsSegments } from '../src/segments.js';

const a = (n: number) => 'a'.repeat(n);
const ya = (n: number) => 'я'.repeat(n);

describe('countSmsSegments', () => {
  it.each([
    ['empty text', '', 'gsm7', 0, 1],
    ['plain Latin', 'Your order is accepted', 'gsm7', 22, 1],
    ['GSM-7 single part, full', a(160), 'gsm7', 160, 1],
    ['GSM-7 one over the single limit', a(161), 'gsm7', 161, 2],
    ['GSM-7 two full parts', a(306), 'gsm7', 306, 2],
    ['GSM-7 one into the third part', a(307), 'gsm7', 307, 3],
    ['basic-table symbols cost one septet', '@£$¥èé\nÄÖÑÜ§¿', 'gsm7', 13, 1],
    ['extension characters cost two septets', '€'.repeat(80), 'gsm7', 160, 1],
    ['one extension character tips it over', `${a(159)}{`, 'gsm7', 161, 2],
    // 152 + 2 + 152 = 306 septets, yet the escape pair cannot straddle parts 1 and 2: three parts.
    ['an escape pair is never split', `${a(152)}€${a(152)}`, 'gsm7', 306, 3],
    ['Cyrillic single part, full', ya(70), 'ucs2', 70, 1],
    ['Cyrillic one over', ya(71), 'ucs2', 71, 2],
    ['Cyrillic two full parts', ya(134), 'ucs2', 134, 2],
    ['Cyrillic one into the third part', ya(135), 'ucs2', 135, 3],
    ['one Cyrillic letter makes all of it UCS-2', `${a(69)}я`, 'ucs2', 70, 1],
    ['a backtick is not GSM-7', `${a(70)}\``, 'ucs2', 71, 2],
    ['lowercase ç is not GSM-7 (only Ç is)', 'ç', 'ucs2', 1, 1],
    ['an emoji is two UTF-16 units', '😀'.repeat(35), 'ucs2', 70, 1],
    // 66 + 2 + 66 = 134 units, but the surrogate pair moves whole into part 2: three parts.
    ['a surrogate pair is never split', `${ya(66)}😀${ya(66)}`, 'ucs2', 134, 3],
  ] as const)('%s', (_name, text, encoding, units, segments) => {
    expect(analyseSms(text)).toEqual({ encoding, units, segments });
    expect(countSmsSegments(text)).toBe(segments);
  });

  it('counts a typical night SMS in Russian as UCS-2 parts of 67', () => {
    const text =
      'Здравствуйте, Иван! Ваш заказ на сумму 12 500 ₽ принят. Мы перезвоним вам в рабочее время с 9:00 до 21:00.';
    expect(text.length).toBeGreaterThan(70);
    expect(countSmsSegments(text)).toBe(Math.ceil(text.length / 67));
  });
});
