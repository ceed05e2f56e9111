import { isIP } from 'node:net';

/** The gateways a portal may configure (adapters-sms `SmsProviderSettings`). */
export type SmsKind = 'smsru' | 'smsc' | 'twilio';

/** Each gateway's own API hosts: the adapters' defaults. */
export const SMS_PROVIDER_HOSTS: Readonly<Record<SmsKind, readonly string[]>> = {
  smsru: ['sms.ru'],
  smsc: ['smsc.ru'],
  twilio: ['api.twilio.com'],
};

/**
 * Where a portal's SMS gateway may be: beyond each gateway's own hosts, the operator's. A portal
 * admin types the base URL, and the app sends the gateway's keys and the customer's phone there
 * from inside the operator's network — so never to an address the operator did not name.
 */
export interface SmsOutbound {
  /** https hosts the operator allows for any gateway (`PROZVON_SMS_HOSTS`): a proxy, a regional API. */
  readonly hosts?: readonly string[];
  /** Exact base URLs allowed as they are, http included: a test's simulator. Code only, no env. */
  readonly baseUrls?: readonly string[];
}

/**
 * Why a gateway's base URL is not allowed, or null when it is: https on the default port, no
 * credentials in it, its host the gateway's own or one the operator listed; or exactly one of
 * the operator's base URLs.
 */
export function smsBaseUrlProblem(kind: SmsKind, baseUrl: string, outbound: SmsOutbound): string | null {
  const trimmed = baseUrl.replace(/\/+$/, '');
  if ((outbound.baseUrls ?? []).some((allowed) => allowed.replace(/\/+$/, '') === trimmed)) return null;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:') return 'must be https';
  if (url.username !== '' || url.password !== '') return 'must not carry a user or password';
  if (url.port !== '') return 'must use the default https port';
  const host = url.hostname.toLowerCase();
  const allowed = [...SMS_PROVIDER_HOSTS[kind], ...(outbound.hosts ?? [])];
  return allowed.includes(host) ? null : `${host} is not one of this gateway’s hosts (${allowed.join(', ')})`;
}

/**
 * The operator's list from the environment, checked: public DNS names only, never an IP literal,
 * `localhost` or a single-label name (an internal address by another spelling). Returns the
 * hosts, lower case, or the first one refused.
 */
export function parseSmsHosts(text: string | undefined): { hosts: string[] } | { refused: string } {
  const hosts = (text ?? '')
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter((host) => host !== '');
  for (const host of hosts) {
    const name = host.replace(/^\[|\]$/g, '');
    if (
      isIP(name) !== 0 ||
      name === 'localhost' ||
      name.endsWith('.localhost') ||
      !name.includes('.') ||
      !/^[a-z0-9.-]+$/.test(name)
    )
      return { refused: host };
  }
  return { hosts };
}
