import { readFileSync } from 'node:fs';
import type { SmsProviderSettings } from '@prozvon/adapters-sms';
import { smsFromEnv } from '@prozvon/adapters-sms';
import type { Env } from '@prozvon/sdk';

/**
 * The hosting operator's own telephony and SMS accounts, used by every portal that did not connect its own (never
 * Telegram: the sellers' chat is each portal's own): a hosted
 * app brings its Voximplant and SMS accounts (BITRIX24.md's Market apps do), a portal may bring its
 * own. Each is read only when its first variable is set, with the adapters' own readers.
 */
export interface OperatorDefaults {
  readonly voximplant?: {
    readonly accountId: number;
    readonly keyId: string;
    readonly privateKey: string;
    readonly ruleId: number;
    readonly apiBase?: string;
  };
  readonly sms?: readonly SmsProviderSettings[];
}

export function operatorDefaultsFromEnv(env: Env = process.env): OperatorDefaults {
  const has = (name: string) => (env[name]?.trim() ?? '') !== '';
  const defaults: { -readonly [K in keyof OperatorDefaults]: OperatorDefaults[K] } = {};
  if (has('VOXIMPLANT_ACCOUNT_ID')) {
    const keyFile = env.VOXIMPLANT_PRIVATE_KEY_FILE;
    const missing = ['VOXIMPLANT_KEY_ID', 'VOXIMPLANT_RULE_ID'].filter((name) => !has(name));
    if (!keyFile && !has('VOXIMPLANT_PRIVATE_KEY')) missing.push('VOXIMPLANT_PRIVATE_KEY');
    if (missing.length > 0)
      throw new Error(`@prozvon/b24-app: ${missing.join(', ')}: not set (VOXIMPLANT_ACCOUNT_ID is)`);
    defaults.voximplant = {
      accountId: Number(env.VOXIMPLANT_ACCOUNT_ID),
      keyId: String(env.VOXIMPLANT_KEY_ID),
      privateKey: keyFile ? readFileSync(keyFile, 'utf8') : String(env.VOXIMPLANT_PRIVATE_KEY),
      ruleId: Number(env.VOXIMPLANT_RULE_ID),
      ...(has('VOXIMPLANT_API_BASE') ? { apiBase: String(env.VOXIMPLANT_API_BASE) } : {}),
    };
  }
  if (['SMSRU_API_ID', 'SMSC_LOGIN', 'TWILIO_ACCOUNT_SID'].some(has)) {
    defaults.sms = smsFromEnv(env).providers as SmsProviderSettings[];
  }
  return defaults;
}
