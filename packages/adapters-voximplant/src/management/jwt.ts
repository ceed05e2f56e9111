import { createSign, type KeyObject } from 'node:crypto';

export interface ServiceAccount {
  /** Voximplant account id: the JWT's `iss`. */
  readonly accountId: number;
  /** The service account key's `key_id`: the JWT header's `kid`. */
  readonly keyId: string;
  /** The key's RSA `private_key` (PEM), or a KeyObject made from it. */
  readonly privateKey: string | KeyObject;
}

/**
 * Lifetime of each token. The official client signs a fresh token per request with `exp = iat + 64`
 * (VOXIMPLANT.md); we do the same: RS256 signing costs well under a millisecond, and a token that
 * lives a minute is worth little if a log ever captures it.
 */
export const TOKEN_LIFETIME_SEC = 64;

/** An RS256 JWT for the management API: header `{alg, typ, kid}`, claims `{iss, iat, exp}`. */
export function signServiceToken(account: ServiceAccount, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000);
  const header = encode({ alg: 'RS256', typ: 'JWT', kid: account.keyId });
  const claims = encode({ iss: account.accountId, iat, exp: iat + TOKEN_LIFETIME_SEC });
  const signer = createSign('RSA-SHA256');
  signer.update(`${header}.${claims}`);
  return `${header}.${claims}.${signer.sign(account.privateKey, 'base64url')}`;
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}
