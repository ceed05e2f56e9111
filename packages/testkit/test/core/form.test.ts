import { describe, expect, it } from 'vitest';
import { mergedParams, parseForm } from '../../src/core/form.js';

describe('parseForm', () => {
  it('decodes UTF-8 percent-escapes and + as space', () => {
    const form = parseForm(new URLSearchParams({ mes: 'Заказ принят, ждите звонка' }).toString());
    expect(form.get('mes')).toBe('Заказ принят, ждите звонка');
  });

  it('reads the same bytes as windows-1251 when told to, as SMSC does without charset', () => {
    const form = parseForm(new URLSearchParams({ mes: 'Да' }).toString(), 'windows-1251');
    // "Да" in UTF-8 is D0 94 D0 B0; read as windows-1251 those bytes are "Р”Р°".
    expect(form.get('mes')).toBe('Р”Р°');
  });

  it('decodes a real windows-1251 body', () => {
    expect(parseForm('mes=%C4%E0', 'windows-1251').get('mes')).toBe('Да');
  });

  it('throws on invalid UTF-8 when fatal', () => {
    expect(() => parseForm('msg=%C4%E0', 'utf-8', true)).toThrow(TypeError);
  });

  it('keeps repeated and valueless keys, and unescaped non-ASCII text', () => {
    const form = parseForm('to=1&to=2&flag&msg=привет+мир');
    expect(form.getAll('to')).toEqual(['1', '2']);
    expect(form.get('flag')).toBe('');
    expect(form.get('msg')).toBe('привет мир');
  });
});

describe('mergedParams', () => {
  it('lets a body value win over the query, keeping both', () => {
    const merged = mergedParams(new URLSearchParams('a=query&b=only-query'), new URLSearchParams('a=body'));
    expect(merged.get('a')).toBe('body');
    expect(merged.getAll('a')).toEqual(['body', 'query']);
    expect(merged.get('b')).toBe('only-query');
  });
});
