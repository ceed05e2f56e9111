import { readFileSync } from 'node:fs';
import type { Bitrix24CrmOptions } from '@prozvon/adapters-bitrix24';
import type { SmsProviderSettings } from '@prozvon/adapters-sms';
import type { TelegramNotifierConfig } from '@prozvon/adapters-telegram';
import type { VoximplantVoiceOptions } from '@prozvon/adapters-voximplant';

/** What the four adapters are made from: real accounts, or the simulators' test accounts. */
export interface AdapterSettings {
  readonly crm: Bitrix24CrmOptions;
  /** The account's part of the voice adapter's settings; the shop adds its URL, store and texts. */
  readonly voximplant: Pick<
    VoximplantVoiceOptions,
    'accountId' | 'keyId' | 'privateKey' | 'ruleId' | 'apiBase' | 'secret'
  >;
  readonly sms: readonly SmsProviderSettings[];
  readonly telegram: TelegramNotifierConfig;
}

export type Service = keyof AdapterSettings;
export const SERVICES: readonly Service[] = ['crm', 'voximplant', 'sms', 'telegram'];

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Each service whose credentials the environment gives (the example's README.md, "Configuration"); a service left
 * out runs against its simulator. Throws naming the variable when one is set but another it needs
 * is missing, rather than silently falling back to a simulator.
 */
export function settingsFromEnv(env: Env): Partial<AdapterSettings> {
  const found: { -readonly [K in Service]?: AdapterSettings[K] } = {};
  const need = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) throw new Error(`${name} is required with the other variables of its service`);
    return value;
  };

  if (env.BITRIX24_WEBHOOK_URL) found.crm = { auth: { type: 'webhook', url: env.BITRIX24_WEBHOOK_URL } };

  if (env.VOXIMPLANT_ACCOUNT_ID) {
    const keyFile = env.VOXIMPLANT_PRIVATE_KEY_FILE;
    found.voximplant = {
      accountId: Number(env.VOXIMPLANT_ACCOUNT_ID),
      keyId: need('VOXIMPLANT_KEY_ID'),
      privateKey: keyFile ? readFileSync(keyFile, 'utf8') : need('VOXIMPLANT_PRIVATE_KEY'),
      ruleId: Number(need('VOXIMPLANT_RULE_ID')),
      secret: need('PROZVON_SECRET'),
    };
  }

  const sms: SmsProviderSettings[] = [];
  if (env.SMSRU_API_ID)
    sms.push({
      kind: 'smsru',
      config: { apiId: env.SMSRU_API_ID, ...(env.SMSRU_SENDER ? { sender: env.SMSRU_SENDER } : {}) },
    });
  if (env.SMSC_LOGIN)
    sms.push({
      kind: 'smsc',
      config: { credentials: { login: env.SMSC_LOGIN, password: need('SMSC_PASSWORD') } },
    });
  if (env.TWILIO_ACCOUNT_SID)
    sms.push({
      kind: 'twilio',
      config: {
        accountSid: env.TWILIO_ACCOUNT_SID,
        authToken: need('TWILIO_AUTH_TOKEN'),
        from: need('TWILIO_FROM'),
      },
    });
  if (sms.length > 0) found.sms = sms;

  if (env.TELEGRAM_BOT_TOKEN)
    found.telegram = { token: env.TELEGRAM_BOT_TOKEN, chatId: need('TELEGRAM_CHAT_ID') };
  return found;
}

export function missingServices(settings: Partial<AdapterSettings>): Service[] {
  return SERVICES.filter((service) => settings[service] === undefined);
}
