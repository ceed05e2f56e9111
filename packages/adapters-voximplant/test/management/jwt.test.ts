import { createVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManagementClient } from '../../src/management/client.js';
import { signServiceToken } from '../../src/management/jwt.js';
import { API_BASE, fakeManagementApi } from '../helpers/fake-api.js';
import { testServiceAccount } from '../helpers/service-account.js';

const api = fakeManagementApi();
const account = testServiceAccount();

function decode(token: string) {
  const [header, claims, signature] = token.split('.');
  const json = (part: string | undefined) =>
    JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
  return {
    header: json(header),
    claims: json(claims),
    signed: `${header}.${claims}`,
    signature: signature ?? '',
  };
}

describe('service-account JWT', () => {
  it('is RS256 with kid = key_id, iss = account id, and lives 64 s like the official client', () => {
    const token = decode(signServiceToken(account, 1_764_000_000_500));
    expect(token.header).toEqual({ alg: 'RS256', typ: 'JWT', kid: account.keyId });
    expect(token.claims).toEqual({ iss: account.accountId, iat: 1_764_000_000, exp: 1_764_000_064 });
    const verifier = createVerify('RSA-SHA256');
    verifier.update(token.signed);
    expect(verifier.verify(account.publicKey, token.signature, 'base64url')).toBe(true);
  });

  it('does not verify with another key', () => {
    const token = decode(signServiceToken(account, Date.now()));
    const verifier = createVerify('RSA-SHA256');
    verifier.update(token.signed);
    expect(verifier.verify(testServiceAccount().publicKey, token.signature, 'base64url')).toBe(false);
  });

  it('is sent fresh as a Bearer token on each form-urlencoded POST to /platform_api/<Method>', async () => {
    let now = 1_764_000_000_000;
    const client = new ManagementClient({ ...account, apiBase: `${API_BASE}/`, now: () => now });
    await client.call('StartScenarios', { rule_id: 7, script_custom_data: '{"v":1}', skipped: undefined });
    now += 120_000;
    await client.call('GetCallHistory', { with_calls: true });
    const [first, second] = api.sent;
    expect(first?.method).toBe('StartScenarios');
    expect(first?.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(first?.params ?? [])).toEqual({ rule_id: '7', script_custom_data: '{"v":1}' });
    expect(Object.fromEntries(second?.params ?? [])).toEqual({ with_calls: 'true' });
    const iat = (sent: typeof first) =>
      decode((sent?.authorization ?? '').replace(/^Bearer /, '')).claims.iat;
    expect(first?.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(iat(second) - iat(first)).toBe(120);
  });
});
