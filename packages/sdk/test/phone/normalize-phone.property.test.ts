import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../src/phone/index.js';

// The ten digits after +7, cut the way people group them: 3-3-2-2 or 3-7 or all together.
const groupings: readonly (readonly number[])[] = [[3, 3, 2, 2], [3, 7], [10], [3, 3, 4]];

const separator = fc.constantFrom(' ', '-', '.', ' - ', '\u00a0', '–', '');

/** A national number (ten digits) typed in one of the styles seen in real shop forms. */
function typed(national: string) {
  return fc
    .record({
      prefix: fc.constantFrom('+7', '8', '7', '00 7', '+7 ', '8 ', ''),
      grouping: fc.constantFrom(...groupings),
      bracketCode: fc.boolean(),
      separators: fc.array(separator, { minLength: 4, maxLength: 4 }),
      padding: fc.constantFrom('', ' ', '  ', '\t'),
    })
    .map(({ prefix, grouping, bracketCode, separators, padding }) => {
      let rest = national;
      const groups = grouping.map((size) => {
        const group = rest.slice(0, size);
        rest = rest.slice(size);
        return group;
      });
      if (bracketCode && groups[0] !== undefined) groups[0] = `(${groups[0]})`;
      const body = groups.map((group, i) => (i === 0 ? group : `${separators[i] ?? ''}${group}`)).join('');
      // Ten bare digits without a prefix are the seed's "starts with 9" rule; keep them bare.
      return `${padding}${prefix}${prefix === '' ? '' : (separators[0] ?? '')}${body}${padding}`;
    });
}

// Russian mobiles: 9, then a second digit other than 3 (all allocated), then eight digits.
// The 93x block has holes (9300…), so it is generated separately below and may be invalid.
const ruMobile = fc
  .tuple(
    fc.constantFrom(...'01245678'),
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 8, maxLength: 8 }),
  )
  .map(([second, rest]) => `9${second}${rest}`);
const anyNineNational = fc
  .string({ unit: fc.constantFrom(...'0123456789'), minLength: 9, maxLength: 9 })
  .map((rest) => `9${rest}`);

describe('normalizePhone properties', () => {
  it('reads every typing of a Russian mobile as that mobile', () => {
    fc.assert(
      fc.property(
        ruMobile.chain((national) => fc.tuple(fc.constant(national), typed(national))),
        ([national, input]) => {
          expect(normalizePhone(input)).toEqual({
            ok: true,
            e164: `+7${national}`,
            country: 'RU',
            type: 'mobile',
          });
        },
      ),
    );
  });

  it('is idempotent: normalising a result e164 gives the same result', () => {
    fc.assert(
      fc.property(
        anyNineNational.chain((national) => typed(national)),
        (input) => {
          const first = normalizePhone(input);
          if (!first.ok) return;
          expect(normalizePhone(first.e164)).toEqual(first);
        },
      ),
    );
  });

  it('gives one answer for every typing of the same digits, valid or not', () => {
    fc.assert(
      fc.property(
        anyNineNational.chain((national) => fc.tuple(typed(national), typed(national))),
        ([a, b]) => {
          expect(normalizePhone(a)).toEqual(normalizePhone(b));
        },
      ),
    );
  });

  it('never throws, and an accepted number is E.164 and idempotent, whatever the input', () => {
    const noise = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'+0123456789 -().'), maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
    );
    fc.assert(
      fc.property(noise, fc.constantFrom<'RU' | 'KZ' | 'BY'>('RU', 'KZ', 'BY'), (input, defaultCountry) => {
        const options = { defaultCountry, allowedCountries: ['RU', 'KZ', 'BY'] as const };
        const first = normalizePhone(input, options);
        if (!first.ok) return;
        expect(first.e164).toMatch(/^\+[1-9]\d{1,14}$/);
        expect(normalizePhone(first.e164, options)).toEqual(first);
      }),
      { numRuns: 2_000 },
    );
  });
});
