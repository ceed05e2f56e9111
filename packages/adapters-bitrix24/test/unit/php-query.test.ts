import { decodePhpQuery } from '@prozvon/testkit';
import { describe, expect, it } from 'vitest';
import { encodePhpQuery } from '../../src/php-query.js';

describe('encodePhpQuery', () => {
  it('writes nested objects and lists with PHP brackets, percent-encoded', () => {
    expect(encodePhpQuery({ fields: { PHONE: [{ VALUE: '+7 916', VALUE_TYPE: 'MOBILE' }] } })).toBe(
      'fields%5BPHONE%5D%5B0%5D%5BVALUE%5D=%2B7%20916&fields%5BPHONE%5D%5B0%5D%5BVALUE_TYPE%5D=MOBILE',
    );
  });

  it('drops undefined, sends null as empty and booleans as 1/0', () => {
    expect(encodePhpQuery({ a: undefined, b: null, c: true, d: false, e: 0 })).toBe('b=&c=1&d=0&e=0');
  });

  it('round-trips through the way the portal decodes (the testkit decoder)', () => {
    const params = {
      filter: { '=UF_CRM_REF': 'p&42=x', '>ID': 5 },
      select: ['ID', 'TITLE'],
      text: 'Строка\nс <b>&</b>',
      start: -1,
    };
    expect(decodePhpQuery(encodePhpQuery(params))).toEqual({
      filter: { '=UF_CRM_REF': 'p&42=x', '>ID': '5' },
      select: ['ID', 'TITLE'],
      text: 'Строка\nс <b>&</b>',
      start: '-1',
    });
  });
});
