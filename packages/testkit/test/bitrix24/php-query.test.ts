import { describe, expect, it } from 'vitest';
import { decodePhpQuery, encodePhpParams } from '../../src/bitrix24/index.js';

describe('PHP bracket parameters', () => {
  it('decodes nested brackets into objects and 0…n-1 keys into lists', () => {
    expect(
      decodePhpQuery(
        'fields[TITLE]=T&fields[PHONE][0][VALUE]=%2B7916&fields[PHONE][0][VALUE_TYPE]=MOBILE&select[]=ID&select[]=TITLE&start=-1',
      ),
    ).toEqual({
      fields: { TITLE: 'T', PHONE: [{ VALUE: '+7916', VALUE_TYPE: 'MOBILE' }] },
      select: ['ID', 'TITLE'],
      start: '-1',
    });
  });

  it('keeps sparse or named keys as objects and later values win', () => {
    expect(decodePhpQuery('a[1]=x&a[3]=y&b=1&b=2&filter[>ID]=5')).toEqual({
      a: { 1: 'x', 3: 'y' },
      b: '2',
      filter: { '>ID': '5' },
    });
  });

  it('ignores keys that would reach the prototype', () => {
    const decoded = decodePhpQuery('__proto__[polluted]=1&x[constructor][prototype][y]=1');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(decoded).toEqual({ x: {} });
  });

  it('encodes what the portal posts to apps, and round-trips', () => {
    const body = {
      event: 'ONCRMLEADADD',
      data: { FIELDS: { ID: '7' } },
      list: ['a', 'b'],
      flag: true,
      none: null,
    };
    const encoded = encodePhpParams(body);
    expect(new URLSearchParams(encoded).get('data[FIELDS][ID]')).toBe('7');
    expect(decodePhpQuery(encoded)).toEqual({ ...body, flag: '1', none: '' });
  });
});
