import { isIP } from 'node:net';

/** Where an IP address is, as far as a city database knows; null when it does not. */
export type Locate = (ip: string) => Promise<GeoPlace | null>;

export interface GeoPlace {
  /** English name from GeoLite2 (`Yekaterinburg`). */
  readonly city: string | null;
  /** IANA zone of that place: a fallback when the browser sent none. */
  readonly timezone: string | null;
}

type GeoipLite = typeof import('geoip-lite');
let database: Promise<GeoipLite> | undefined;

/**
 * City from IP with geoip-lite, which ships MaxMind's GeoLite2 data inside the npm package (no
 * install script, no download, no account). It reads ~110 MB into memory on first use, so it is
 * loaded lazily and never for loopback or private addresses, which no database can place.
 */
export const geoipLite: Locate = async (ip) => {
  const address = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  if (isIP(address) === 0 || isLocal(address)) return null;
  database ??= import('geoip-lite').then((module) => (module as { default?: GeoipLite }).default ?? module);
  const found = (await database).lookup(address);
  if (found === null) return null;
  return { city: found.city === '' ? null : found.city, timezone: found.timezone || null };
};

function isLocal(ip: string): boolean {
  return (
    /^(127\.|10\.|192\.168\.|169\.254\.|0\.)/.test(ip) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(ip) ||
    ip === '::1' ||
    /^f[cd]/i.test(ip) ||
    /^fe80:/i.test(ip)
  );
}
