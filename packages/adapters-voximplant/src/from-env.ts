import { readFileSync } from 'node:fs';
import { type Env, envReader } from '@prozvon/sdk';
import type { VoximplantVoiceOptions } from './voice-settings.js';

/** The account's part of the adapter's settings; the shop adds its `message` and `store`. */
export type VoximplantEnvSettings = Pick<
  VoximplantVoiceOptions,
  'accountId' | 'keyId' | 'privateKey' | 'ruleId' | 'secret' | 'callbackUrl' | 'apiBase'
>;

/**
 * The account's settings from environment variables: `VOXIMPLANT_ACCOUNT_ID`, `VOXIMPLANT_KEY_ID`,
 * `VOXIMPLANT_PRIVATE_KEY` (PEM) or `VOXIMPLANT_PRIVATE_KEY_FILE` (its path), `VOXIMPLANT_RULE_ID`,
 * `VOXIMPLANT_CALLBACK_URL` (where the shop mounts `handleVoiceCallback`), `PROZVON_SECRET`, and
 * `VOXIMPLANT_API_BASE` when set (the testkit's simulator). Throws naming every missing variable.
 */
export function voximplantFromEnv(env: Env = process.env): VoximplantEnvSettings {
  const read = envReader('@prozvon/adapters-voximplant', env);
  const accountId = read.need('VOXIMPLANT_ACCOUNT_ID');
  const keyId = read.need('VOXIMPLANT_KEY_ID');
  const keyFile = read.optional('VOXIMPLANT_PRIVATE_KEY_FILE');
  const privateKey =
    keyFile === undefined ? read.need('VOXIMPLANT_PRIVATE_KEY') : readKey(keyFile, read.fail);
  const ruleId = read.need('VOXIMPLANT_RULE_ID');
  const callbackUrl = read.need('VOXIMPLANT_CALLBACK_URL');
  const secret = read.need('PROZVON_SECRET');
  const apiBase = read.optional('VOXIMPLANT_API_BASE');
  return read.done({
    accountId,
    keyId,
    privateKey,
    ruleId,
    callbackUrl,
    secret,
    ...(apiBase === undefined ? {} : { apiBase }),
  });
}

function readKey(path: string, fail: (name: string, message: string) => void): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    fail('VOXIMPLANT_PRIVATE_KEY_FILE', `cannot read ${path} (${code})`);
    return '';
  }
}
