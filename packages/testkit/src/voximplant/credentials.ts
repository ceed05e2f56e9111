import { generateKeyPairSync, type KeyObject } from 'node:crypto';

/** The simulated account; the adapter's `accountId` in tests. */
export const VOXIMPLANT_TEST_ACCOUNT_ID = 4_242_001;
/** The routing rule the simulator knows by default; the adapter's `ruleId` in tests. */
export const VOXIMPLANT_TEST_RULE_ID = 3_141_592;
export const VOXIMPLANT_TEST_KEY_ID = 'c0ffee00-0000-4000-8000-00000000beef';
/** For the legacy `account_id` + `api_key` parameters (deprecated, still accepted by Voximplant). */
export const VOXIMPLANT_TEST_API_KEY = 'test-api-key-9f86d081884c7d65';

/** A service account key as the control panel's "Generate key" JSON has it, plus its public half. */
export interface VoximplantServiceKey {
  readonly accountId: number;
  readonly keyId: string;
  /** PEM: what the adapter is configured with. */
  readonly privateKey: string;
  readonly publicKey: KeyObject;
}

/** A fresh RSA key for one simulator run: nothing secret is checked into the repository. */
export function generateServiceKey(
  accountId = VOXIMPLANT_TEST_ACCOUNT_ID,
  keyId = VOXIMPLANT_TEST_KEY_ID,
): VoximplantServiceKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    accountId,
    keyId,
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey,
  };
}
