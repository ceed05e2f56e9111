import { MASTER_KEY_VARIABLE, parseMasterKey, SecretBox } from './secrets.js';

/** Keys retired by a rotation, comma-separated, each in PROZVON_MASTER_KEY's format. */
export const OLD_MASTER_KEYS_VARIABLE = 'PROZVON_MASTER_KEYS_OLD';

/**
 * The keyring from the environment: PROZVON_MASTER_KEY encrypts; it and every key of
 * PROZVON_MASTER_KEYS_OLD decrypt. An error names the variable (and the place in the list),
 * never a value.
 */
export function secretBoxFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): SecretBox {
  const current = parseMasterKey(env[MASTER_KEY_VARIABLE], MASTER_KEY_VARIABLE);
  const older = (env[OLD_MASTER_KEYS_VARIABLE] ?? '')
    .split(',')
    .map((value) => value.trim())
    .map((value, index) => ({ value, index }))
    .filter(({ value }) => value !== '')
    .map(({ value, index }) => parseMasterKey(value, `${OLD_MASTER_KEYS_VARIABLE}[${index}]`));
  return new SecretBox(current, older);
}
