import { describe, expect, it } from 'vitest';
import { geoipLite } from '../src/index.js';

// geoip-lite with the GeoLite2 data its npm package ships: no network, no account.
describe('city from IP', () => {
  it('places a Moscow address in Moscow, with its zone', async () => {
    expect(await geoipLite('46.17.40.1')).toEqual({ city: 'Moscow', timezone: 'Europe/Moscow' });
    expect(await geoipLite('::ffff:46.17.40.1')).toEqual({ city: 'Moscow', timezone: 'Europe/Moscow' });
  });

  it('knows nothing of loopback, private, documentation or malformed addresses', async () => {
    for (const ip of [
      '127.0.0.1',
      '::1',
      '10.1.2.3',
      '192.168.0.7',
      '172.20.0.1',
      '203.0.113.7',
      'nonsense',
      '',
    ])
      expect(await geoipLite(ip)).toBeNull();
  });
});
