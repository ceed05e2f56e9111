import { describe, expect, it } from 'vitest';
import { formatMs, formatRate, formatSums } from '../src/dashboard/dashboard-model.js';

describe('the dashboard’s figures in words', () => {
  it('writes a delay under ten seconds with its tenth, longer ones in seconds, minutes and hours', () => {
    expect(formatMs(null)).toBe('—');
    expect(formatMs(0)).toBe('0.0 s');
    expect(formatMs(340)).toBe('0.3 s');
    expect(formatMs(8_000)).toBe('8.0 s');
    expect(formatMs(9_960)).toBe('10 s');
    expect(formatMs(125_000)).toBe('2 min 5 s');
    expect(formatMs(3_600_000 + 120_000)).toBe('1 h 2 min');
  });

  it('writes a rate as a percentage with one decimal, or a dash without any', () => {
    expect(formatRate(null)).toBe('—');
    expect(formatRate(1)).toBe('100 %');
    expect(formatRate(1 / 3)).toBe('33.3 %');
  });

  it('writes order sums per currency with their average', () => {
    const text = formatSums([{ currency: 'RUB', leads: 2, total: 4000, average: 2000 }]).replace(/\s/g, ' ');
    expect(text).toBe('4 000 ₽ (avg 2 000 ₽)');
    expect(formatSums([])).toBe('—');
  });
});
