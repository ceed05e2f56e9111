import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateTestkitCertificates, testkitCertificates } from '../../src/tls/index.js';

describe('the testkit certificate authority', () => {
  it('makes a CA and a leaf for 127.0.0.1 and localhost, signed by it, valid for two days', async () => {
    const { ca, cert, key } = await generateTestkitCertificates();
    const authority = new X509Certificate(ca);
    const leaf = new X509Certificate(cert);
    expect(authority.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(authority)).toBe(true);
    expect(leaf.verify(authority.publicKey)).toBe(true);
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.checkHost('localhost')).toBe('localhost');
    expect(leaf.checkHost('example.com')).toBeUndefined();
    expect(leaf.checkPrivateKey(createPrivateKey(key))).toBe(true);
    const lifetime = Date.parse(leaf.validTo) - Date.now();
    expect(lifetime).toBeGreaterThan(86_400_000);
    expect(lifetime).toBeLessThanOrEqual(2 * 86_400_000);
  });

  it('generates once per process and makes a fresh pair on request', async () => {
    expect(await testkitCertificates()).toBe(await testkitCertificates());
    const a = await generateTestkitCertificates();
    const b = await generateTestkitCertificates();
    expect(a.ca).not.toBe(b.ca);
  });
});
