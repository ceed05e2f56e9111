import { createVerify, type KeyObject } from 'node:crypto';

/** Why a Bearer token was refused (the API answers every case with the same error 100). */
export type JwtRefusal =
  | 'malformed'
  | 'unknown_key'
  | 'bad_signature'
  | 'wrong_account'
  | 'expired'
  | 'too_long';

/**
 * Checks a service-account JWT as VOXIMPLANT.md describes it: RS256, `kid` naming a known key,
 * `iss` the account id, `exp` in the future and at most an hour after `iat`.
 */
export function checkServiceToken(
  token: string,
  keys: ReadonlyMap<string, KeyObject>,
  accountId: number,
  nowMs: number,
): JwtRefusal | null {
  const parts = token.split('.');
  if (parts.length !== 3) return 'malformed';
  const [rawHeader = '', rawClaims = '', signature = ''] = parts;
  const header = decode(rawHeader);
  const claims = decode(rawClaims);
  if (header === null || claims === null || header.alg !== 'RS256') return 'malformed';
  const key = typeof header.kid === 'string' ? keys.get(header.kid) : undefined;
  if (key === undefined) return 'unknown_key';
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${rawHeader}.${rawClaims}`);
  if (!verifier.verify(key, signature, 'base64url')) return 'bad_signature';
  if (Number(claims.iss) !== accountId) return 'wrong_account';
  const { iat, exp } = claims;
  if (typeof iat !== 'number' || typeof exp !== 'number') return 'malformed';
  if (exp * 1000 <= nowMs) return 'expired';
  if (exp - iat > 3600) return 'too_long';
  return null;
}

function decode(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
