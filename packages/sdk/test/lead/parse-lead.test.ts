import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidLeadError, invalidLeadBody, LEAD_LIMITS, parseLead } from '../../src/lead/index.js';
import { issuesOf, leadOf, minimal } from './parse.js';

describe('parseLead', () => {
  it('accepts a full payload of the contract and keeps every field', () => {
    const lead = leadOf({
      name: '  Анна Петрова ',
      phone: '+7 (916) 123-45-67',
      city: 'Екатеринбург',
      timezone: 'Asia/Yekaterinburg',
      partnerCode: 'PARTNER42',
      site: 'shop.example',
      orderSum: 1500.5,
      currency: 'rub',
      items: [{ name: 'Чайник', qty: 1, price: 1500.5 }],
      ip: '203.0.113.7',
      ref: 'order-1001',
      utm: { source: 'PARTNER42', medium: 'cpa', campaign: 'autumn', content: 'banner', term: 'чайник' },
      comment: 'Позвонить после обеда',
    });
    expect(lead).toEqual({
      name: 'Анна Петрова',
      phone: '+7 (916) 123-45-67',
      city: 'Екатеринбург',
      timezone: 'Asia/Yekaterinburg',
      partnerCode: 'PARTNER42',
      site: 'shop.example',
      orderSum: 1500.5,
      currency: 'RUB',
      items: [{ name: 'Чайник', qty: 1, price: 1500.5 }],
      ip: '203.0.113.7',
      ref: 'order-1001',
      utm: { source: 'PARTNER42', medium: 'cpa', campaign: 'autumn', content: 'banner', term: 'чайник' },
      comment: 'Позвонить после обеда',
    });
  });

  it('needs only a name and a phone', () => {
    expect(leadOf(minimal)).toEqual(minimal);
  });

  it('ignores unknown fields instead of refusing the lead', () => {
    expect(leadOf({ ...minimal, fbclid: 'abc', extra: { nested: true } })).toEqual(minimal);
  });

  it('treats null and blank optional fields as not given', () => {
    expect(leadOf({ ...minimal, city: '   ', comment: null, orderSum: null, timezone: '' })).toEqual(minimal);
  });

  it('accepts an order sum sent as a numeric string, as HTML forms do', () => {
    expect(leadOf({ ...minimal, orderSum: '1500.50' }).orderSum).toBe(1500.5);
  });

  it('accepts IPv6 addresses', () => {
    expect(leadOf({ ...minimal, ip: '2001:db8::1' }).ip).toBe('2001:db8::1');
  });

  it.each([
    ['missing name', { phone: '89161234567' }, 'name', 'Required'],
    ['blank name', { name: '   ', phone: '89161234567' }, 'name', 'Required'],
    ['missing phone', { name: 'Анна' }, 'phone', 'Required'],
    ['numeric phone', { name: 'Анна', phone: 79161234567 }, 'phone', 'Expected a string, received number'],
    ['long name', { ...minimal, name: 'я'.repeat(LEAD_LIMITS.name + 1) }, 'name', 'At most 200 characters'],
    ['long comment', { ...minimal, comment: 'x'.repeat(2_001) }, 'comment', 'At most 2000 characters'],
    ['negative sum', { ...minimal, orderSum: -1 }, 'orderSum', 'Must be 0 or more'],
    ['infinite sum', { ...minimal, orderSum: Number.POSITIVE_INFINITY }, 'orderSum', 'finite'],
    ['NaN sum', { ...minimal, orderSum: Number.NaN }, 'orderSum', 'number'],
    ['text sum', { ...minimal, orderSum: 'lots' }, 'orderSum', 'Expected a number, received string'],
    ['unknown zone', { ...minimal, timezone: 'Mars/Olympus' }, 'timezone', 'IANA'],
    ['unknown currency', { ...minimal, currency: 'ABC' }, 'currency', 'ISO 4217'],
    ['bad ip', { ...minimal, ip: '999.1.1.1' }, 'ip', 'IPv4 or IPv6'],
    ['items not a list', { ...minimal, items: 'teapot' }, 'items', 'array'],
    ['bad utm', { ...minimal, utm: { source: 42 } }, 'utm.source', 'Expected a string'],
  ])('refuses %s, naming the field', (_case, body, path, message) => {
    const issues = issuesOf(body);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe(path);
    expect(issues[0]?.message).toContain(message);
  });

  it('bounds the number of items', () => {
    const items = Array.from({ length: LEAD_LIMITS.items + 1 }, (_, i) => ({
      name: `item ${i}`,
      qty: 1,
      price: 1,
    }));
    expect(issuesOf({ ...minimal, items })).toEqual([{ path: 'items', message: 'At most 100 items' }]);
    expect(leadOf({ ...minimal, items: items.slice(1) }).items).toHaveLength(100);
  });

  it('names the path inside an item', () => {
    const issues = issuesOf({
      ...minimal,
      items: [
        { name: 'a', qty: 1, price: 1 },
        { name: 'b', qty: 0, price: 1 },
      ],
    });
    expect(issues).toEqual([{ path: 'items.1.qty', message: 'Must be more than 0' }]);
  });

  it('lists every bad field at once', () => {
    const issues = issuesOf({ phone: '', orderSum: -5, currency: 'zzz', ip: 'localhost' });
    expect(issues.map((issue) => issue.path).sort()).toEqual(['currency', 'ip', 'name', 'orderSum', 'phone']);
  });

  it.each([null, undefined, 'name=Анна', 42, [minimal], true])(
    'refuses a body that is not an object: %j',
    (body) => {
      expect(issuesOf(body)).toEqual([{ path: '', message: 'Expected a JSON object' }]);
    },
  );

  it('gives a typed error and the contract 400 body', () => {
    const result = parseLead({ name: 'Анна' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(InvalidLeadError);
    expect(result.error.message).toBe('Invalid lead: phone: Required');
    expect(invalidLeadBody(result.error)).toEqual({
      error: 'invalid_lead',
      issues: [{ path: 'phone', message: 'Required' }],
    });
  });

  it('never throws, whatever the body', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.anything(), fc.record({ name: fc.anything(), phone: fc.anything() })),
        (body) => {
          const result = parseLead(body);
          if (!result.ok) expect(result.error.issues.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
