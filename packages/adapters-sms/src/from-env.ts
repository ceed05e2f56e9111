import { type Env, envReader } from '@prozvon/sdk';
import type { SmsPortOptions } from './failover.js';
import type { SmsProviderSettings } from './settings.js';

/**
 * The failover chain from environment variables, in this order, each gateway whose first variable
 * is set: SMS.ru (`SMSRU_API_ID`, `SMSRU_SENDER`), SMSC.ru (`SMSC_LOGIN`, `SMSC_PASSWORD`,
 * `SMSC_SENDER`), Twilio (`TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN`, `TWILIO_FROM`). Each gateway's
 * `…_BASE_URL` points it at another address (the testkit's simulator). Throws naming what is missing.
 */
export function smsFromEnv(env: Env = process.env): SmsPortOptions {
  const read = envReader('@prozvon/adapters-sms', env);
  // Only the variables that are set, so each client's defaults apply to the rest.
  const set = (fields: Record<string, string | undefined>) =>
    Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  const providers: SmsProviderSettings[] = [];
  if (read.has('SMSRU_API_ID')) {
    const apiId = read.need('SMSRU_API_ID');
    const more = set({ sender: read.optional('SMSRU_SENDER'), baseUrl: read.optional('SMSRU_BASE_URL') });
    providers.push({ kind: 'smsru', config: { apiId, ...more } });
  }
  if (read.has('SMSC_LOGIN')) {
    const credentials = { login: read.need('SMSC_LOGIN'), password: read.need('SMSC_PASSWORD') };
    const more = set({ sender: read.optional('SMSC_SENDER'), baseUrl: read.optional('SMSC_BASE_URL') });
    providers.push({ kind: 'smsc', config: { credentials, ...more } });
  }
  if (read.has('TWILIO_ACCOUNT_SID')) {
    const accountSid = read.need('TWILIO_ACCOUNT_SID');
    const authToken = read.need('TWILIO_AUTH_TOKEN');
    const from = read.need('TWILIO_FROM');
    const more = set({ baseUrl: read.optional('TWILIO_BASE_URL') });
    providers.push({ kind: 'twilio', config: { accountSid, authToken, from, ...more } });
  }
  if (providers.length === 0) read.fail('SMSRU_API_ID, SMSC_LOGIN or TWILIO_ACCOUNT_SID', 'none set');
  return read.done({ providers });
}
