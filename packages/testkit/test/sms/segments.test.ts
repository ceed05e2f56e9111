import { describe, expect, it } from 'vitest';
import { isE164, isRoutable, phoneDigits } from '../../src/sms/phone.js';
import { smsParts } from '../../src/sms/segments.js';

describe('smsParts', () => {
  it('fits 160 Latin characters in one part and splits longer text by 153', () => {
    expect(smsParts('a'.repeat(160))).toBe(1);
    expect(smsParts('a'.repeat(161))).toBe(2);
    expect(smsParts('a'.repeat(306))).toBe(2);
    expect(smsParts('a'.repeat(307))).toBe(3);
  });

  it('fits 70 Cyrillic characters in one part and splits longer text by 67', () => {
    expect(smsParts('я'.repeat(70))).toBe(1);
    expect(smsParts('я'.repeat(71))).toBe(2);
    expect(smsParts('я'.repeat(134))).toBe(2);
    expect(smsParts('я'.repeat(135))).toBe(3);
  });

  it('treats one emoji as UCS-2', () => {
    expect(smsParts(`${'a'.repeat(80)}🙂`)).toBe(2);
  });
});

describe('phone rules', () => {
  it('keeps digits only', () => {
    expect(phoneDigits('+7 (999) 000-00-01')).toBe('79990000001');
  });

  it('accepts international numbers and refuses short, long or lettered ones', () => {
    expect(isRoutable('79990000001')).toBe(true);
    expect(isRoutable('+7 999 000-00-01')).toBe(true);
    expect(isRoutable('12345')).toBe(false);
    expect(isRoutable('7999000000112345')).toBe(false);
    expect(isRoutable('7999abc0001')).toBe(false);
    expect(isRoutable('09990000001')).toBe(false);
  });

  it('knows E.164', () => {
    expect(isE164('+79990000001')).toBe(true);
    expect(isE164('79990000001')).toBe(false);
    expect(isE164('+7 999 000 00 01')).toBe(false);
  });
});
