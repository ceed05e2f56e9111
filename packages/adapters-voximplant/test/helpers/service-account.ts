import { generateKeyPairSync } from 'node:crypto';

/** A throw-away RSA service-account key, as Voximplant's "Generate key" would download. */
export function testServiceAccount() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    accountId: 4_242_001,
    keyId: 'a1b2c3d4-0000-4000-8000-000000000001',
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey,
  };
}
