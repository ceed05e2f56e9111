import { type Env, envReader } from '@prozvon/sdk';
import type { Bitrix24CrmOptions } from './options.js';

/**
 * The adapter's settings for a shop's inbound webhook, from `BITRIX24_WEBHOOK_URL`
 * (`https://<portal>/rest/<user>/<secret>/`, scope `crm`). Throws naming the variable when unset.
 */
export function bitrix24FromEnv(env: Env = process.env): Bitrix24CrmOptions {
  const read = envReader('@prozvon/adapters-bitrix24', env);
  const url = read.need('BITRIX24_WEBHOOK_URL');
  return read.done({ auth: { type: 'webhook', url } });
}
