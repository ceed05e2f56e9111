import { describe, expect, it } from 'vitest';
import { ipKey } from '../../src/abuse/index.js';

describe('ipKey: what an IP limit counts by', () => {
  it('an IPv4 address is itself', () => {
    expect(ipKey('203.0.113.5')).toBe('203.0.113.5');
  });

  it('an IPv4-mapped IPv6 address is the IPv4 it maps', () => {
    expect(ipKey('::ffff:203.0.113.5')).toBe('203.0.113.5');
    expect(ipKey('::FFFF:203.0.113.5')).toBe('203.0.113.5');
  });

  it('IPv6 addresses of one /64 count as one, however written', () => {
    const key = '2001:db8:0:1::/64';
    expect(ipKey('2001:db8:0:1::1')).toBe(key);
    expect(ipKey('2001:0db8:0000:0001:ffff:ffff:ffff:fffe')).toBe(key);
    expect(ipKey('2001:DB8:0:1:abcd::')).toBe(key);
    expect(ipKey('2001:db8:0:2::1')).not.toBe(key);
    expect(ipKey('::1')).toBe('0:0:0:0::/64');
  });
});
