import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskPhone, normalizePhone } from '../../src/phone/index.js';

describe('maskPhone', () => {
  const table: readonly (readonly [phone: string, masked: string])[] = [
    ['+79161234567', '+7916***4567'],
    ['+74951234567', '+7495***4567'],
    ['+77011234567', '+7701***4567'],
    // Three-digit calling code, nine-digit national number: one head digit fewer, still 3 hidden.
    ['+380441234567', '+38044***4567'],
    // Eleven national digits: four hidden.
    ['+4915112345678', '+49151****5678'],
    // Short national numbers give up head digits, then tail digits; three always stay hidden.
    ['+4930123456', '+493***3456'], // Berlin, 8 digits
    ['+3545551234', '+354***1234'], // Iceland, 7 digits
    ['+376312345', '+376***345'], // Andorra, 6 digits
    ['+6834002', '+683***2'], // Niue, 4 digits
    // A calling code nobody has: the digits are masked as one national number.
    ['+99912345678', '+999****5678'],
  ];
  it.for(table)('%s → %s', ([phone, masked]) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  it('shows nothing of a string that is not E.164', () => {
    for (const raw of [
      '8 (916) 123-45-67',
      '79161234567',
      '+7 916 123 45 67',
      '',
      '+',
      'позвоните мне',
      '+0123',
    ]) {
      expect(maskPhone(raw)).toBe('***');
    }
  });

  it('keeps the length and the calling code of every number normalizePhone accepts', () => {
    const ruMobile = fc
      .string({ unit: fc.constantFrom(...'0123456789'), minLength: 9, maxLength: 9 })
      .map((rest) => `+79${rest}`);
    fc.assert(
      fc.property(ruMobile, (input) => {
        const result = normalizePhone(input);
        if (!result.ok) return;
        const masked = maskPhone(result.e164);
        expect(masked).toHaveLength(result.e164.length);
        expect(masked).toBe(`${result.e164.slice(0, 5)}***${result.e164.slice(-4)}`);
      }),
    );
  });
});
