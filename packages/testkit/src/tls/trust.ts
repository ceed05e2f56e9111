import tls from 'node:tls';

/**
 * Makes this process trust the testkit's CA for every TLS client that uses Node's default CA list
 * (fetch, https, axios and so b24jssdk), on top of the system's CAs. Certificate checks stay on:
 * only certificates signed by this CA are added. Idempotent. Needs Node ≥ 22.19 / 24.5.
 */
export function trustTestkitCa(ca: string): void {
  const current = tls.getCACertificates('default');
  const pem = ca.trim();
  if (current.some((known) => known.trim() === pem)) return;
  tls.setDefaultCACertificates([...current, pem]);
}
