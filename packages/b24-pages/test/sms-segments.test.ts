import { describe, expect, it } from 'vitest';
import { smsSegments } from '../src/settings/sms-segments.js';

describe('smsSegments', () => {
  it('counts GSM-7 texts in 160, then 153 per part; an extension character takes two', () => {
    expect(smsSegments('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', segments: 1, units: 160 });
    expect(smsSegments('a'.repeat(161))).toMatchObject({ segments: 2, perSegment: 153 });
    expect(smsSegments(`${'a'.repeat(159)}€`)).toMatchObject({ units: 161, segments: 2 });
  });

  it('switches the whole text to UCS-2 for Cyrillic: 70, then 67 per part', () => {
    expect(smsSegments('Ваш заказ принят')).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    expect(smsSegments('я'.repeat(70)).segments).toBe(1);
    expect(smsSegments('я'.repeat(71))).toMatchObject({ segments: 2, perSegment: 67 });
    expect(smsSegments(`a${'я'.repeat(134)}`).segments).toBe(3);
  });

  it('an empty text is no SMS', () => {
    expect(smsSegments('').segments).toBe(0);
  });
});
