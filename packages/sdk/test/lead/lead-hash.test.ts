import { describe, expect, it } from 'vitest';
import { parseLead } from '../../src/lead/index.js';
import { canonicalJson, leadBodyHash } from '../../src/lead/lead-hash.js';

const hashOf = (body: unknown) => {
  const parsed = parseLead(body);
  if (!parsed.ok) throw parsed.error;
  return leadBodyHash(parsed.lead);
};

describe('canonicalJson', () => {
  it('sorts keys at every depth, keeps array order and leaves undefined members out', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined }], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[3,{"z":1}]},"b":1}',
    );
    expect(canonicalJson([undefined, 'x'])).toBe('[null,"x"]');
  });
});

describe('leadBodyHash', () => {
  it('is the same for a body that says the same thing in another layout', () => {
    const a = hashOf({ name: 'Анна', phone: '+79161234567', ref: 'r1', utm: { source: 's', medium: 'm' } });
    const b = hashOf({
      utm: { medium: 'm', source: 's' },
      ref: ' r1 ',
      phone: '+79161234567 ',
      name: 'Анна',
      x: 1,
    });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
  });

  it('differs when what the lead says differs', () => {
    const base = { name: 'Анна', phone: '+79161234567', ref: 'r1' };
    expect(hashOf({ ...base, comment: 'ещё' })).not.toBe(hashOf(base));
    expect(
      hashOf({
        ...base,
        items: [
          { name: 'a', qty: 1, price: 1 },
          { name: 'b', qty: 1, price: 1 },
        ],
      }),
    ).not.toBe(
      hashOf({
        ...base,
        items: [
          { name: 'b', qty: 1, price: 1 },
          { name: 'a', qty: 1, price: 1 },
        ],
      }),
    );
  });
});
