import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLead } from '../../src/lead/index.js';
import { issuesOf, leadOf, minimal } from './parse.js';

// Issue 13, defect 7: `{"name":"\ud800"}` was accepted, and the lone surrogate later made
// `encodeURIComponent` throw inside the CRM batcher, failing other shops' writes. Every text field of
// a lead is well-formed Unicode, NFC, and free of control characters, or the lead is a 400 naming it.

/** Unicode's `Cc`: C0, DEL and C1. */
const isControl = (character: string) => /^\p{Cc}$/u.test(character);

/** Every text field of the contract, with a body that puts `text` in it. */
const TEXT_FIELDS: readonly [string, (text: string) => Record<string, unknown>][] = [
  ['name', (text) => ({ ...minimal, name: `А${text}нна` })],
  ['phone', (text) => ({ ...minimal, phone: `8916${text}1234567` })],
  ['city', (text) => ({ ...minimal, city: `Ка${text}зань` })],
  ['partnerCode', (text) => ({ ...minimal, partnerCode: `P${text}42` })],
  ['site', (text) => ({ ...minimal, site: `shop${text}.example` })],
  ['ref', (text) => ({ ...minimal, ref: `order${text}1` })],
  ['comment', (text) => ({ ...minimal, comment: `после${text}обеда` })],
  ['utm.source', (text) => ({ ...minimal, utm: { source: `P${text}42` } })],
  ['utm.term', (text) => ({ ...minimal, utm: { term: `чай${text}ник` } })],
  ['items.0.name', (text) => ({ ...minimal, items: [{ name: `Чай${text}ник`, qty: 1, price: 1 }] })],
];

describe('text fields of a lead', () => {
  it.each(TEXT_FIELDS)('refuses a lone surrogate in %s, naming the field', (path, bodyWith) => {
    for (const lone of ['\ud800', '\udfff', '\udc00\ud800']) {
      expect(issuesOf(bodyWith(lone))).toEqual([
        { path, message: 'Not well-formed Unicode (a lone surrogate)' },
      ]);
    }
  });

  it('refuses the payload of the report as it comes over the wire: {"name":"\\ud800"}', () => {
    expect(issuesOf(JSON.parse('{"name":"\\ud800","phone":"89161234567"}'))).toEqual([
      { path: 'name', message: 'Not well-formed Unicode (a lone surrogate)' },
    ]);
  });

  it.each(TEXT_FIELDS)(
    'refuses C0, DEL and C1 controls inside %s, naming the code point',
    (path, bodyWith) => {
      for (const [control, code] of [
        ['\u0000', 'U+0000'],
        ['\u0007', 'U+0007'],
        ['\u001b', 'U+001B'],
        ['\u007f', 'U+007F'],
        ['\u0085', 'U+0085'],
        ['\u009f', 'U+009F'],
      ] as const) {
        expect(issuesOf(bodyWith(control))).toEqual([
          { path, message: `Contains a control character (${code})` },
        ]);
      }
    },
  );

  it('refuses a line break or a tab inside a one-line field', () => {
    expect(issuesOf({ ...minimal, name: 'Анна\nПетрова' })).toEqual([
      { path: 'name', message: 'Contains a control character (U+000A)' },
    ]);
    expect(issuesOf({ ...minimal, city: 'Санкт\tПетербург' })).toEqual([
      { path: 'city', message: 'Contains a control character (U+0009)' },
    ]);
  });

  it('still trims the whitespace around a field, line breaks included', () => {
    expect(leadOf({ ...minimal, name: '\n\tАнна \r\n' }).name).toBe('Анна');
  });

  it('lets the comment keep its lines and tabs, with CRLF and CR made LF (HTML forms send CRLF)', () => {
    expect(leadOf({ ...minimal, comment: 'Позвонить\r\nпосле обеда\rили\tвечером\nспасибо' }).comment).toBe(
      'Позвонить\nпосле обеда\nили\tвечером\nспасибо',
    );
    expect(issuesOf({ ...minimal, comment: 'звонок\u0000' })).toEqual([
      { path: 'comment', message: 'Contains a control character (U+0000)' },
    ]);
    expect(issuesOf({ ...minimal, comment: 'a\u000bb' })).toEqual([
      { path: 'comment', message: 'Contains a control character (U+000B)' },
    ]);
  });

  it('normalises every text field to NFC', () => {
    // "й" typed as и + combining breve, "é" as e + combining acute: the same name as the precomposed one.
    const decomposed = 'Андреи\u0306 Re\u0301mi';
    const lead = leadOf({
      ...minimal,
      name: decomposed,
      comment: decomposed,
      city: decomposed,
      utm: { campaign: decomposed },
      items: [{ name: decomposed, qty: 1, price: 1 }],
    });
    const composed = 'Андр\u0435\u0439 R\u00e9mi';
    expect(lead.name).toBe(composed);
    expect(lead.name).not.toBe(decomposed);
    expect(lead.comment).toBe(composed);
    expect(lead.city).toBe(composed);
    expect(lead.utm?.campaign).toBe(composed);
    expect(lead.items?.[0]?.name).toBe(composed);
  });

  it('counts the length limit after NFC', () => {
    // 200 letters with a combining mark each are 400 code units, but 200 characters in NFC.
    expect(leadOf({ ...minimal, name: 'и\u0306'.repeat(200) }).name).toBe('й'.repeat(200));
  });

  it('accepts emoji, other scripts and joiners (well-formed, not controls)', () => {
    const name = 'Zoë 👩‍👩‍👧 Łukasz 李 عربى';
    expect(leadOf({ ...minimal, name }).name).toBe(name.normalize('NFC'));
  });

  it('any accepted text is well-formed, NFC and free of controls (outside the comment)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 30 }),
          fc.string({ unit: 'grapheme', maxLength: 30 }),
        ),
        (text) => {
          const result = parseLead({ ...minimal, name: `${text}x`, city: text });
          if (!result.ok) return;
          for (const value of [result.lead.name, result.lead.city ?? '']) {
            expect(value.isWellFormed()).toBe(true);
            expect(value).toBe(value.normalize('NFC'));
            expect([...value].some(isControl)).toBe(false);
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
