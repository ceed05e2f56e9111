import { parseSettings, type SmsPort } from '@prozvon/sdk';
import { z } from 'zod';

/** One gateway: an SmsPort with a name, so a receipt and an error say who sent or refused. */
export interface SmsProvider extends SmsPort {
  readonly name: string;
}

/** Settings every gateway client shares. */
export const CommonOptions = z.object({
  /** Gives up on an answer after this long; the SMS may still have gone out (ambiguous). */
  timeoutMs: z.number().int().positive().default(15_000),
  /** When to try again a provider that was down or unreachable. */
  downRetryMs: z.number().int().positive().default(60_000),
});

/**
 * Parses a client's settings, or throws the SDK's SettingsError: one line per bad field, naming
 * the package, the gateway and the field, never the value (a field may be a password).
 */
export function parseConfig<Schema extends z.ZodType>(
  provider: string,
  schema: Schema,
  input: unknown,
): z.output<Schema> {
  return parseSettings(schema, input, `${PACKAGE} (${provider})`);
}

export const PACKAGE = '@prozvon/adapters-sms';

/**
 * A gateway's base URL: http(s) only, kept without a trailing slash so a path prefix (a proxy
 * in front of the gateway) survives when the endpoint's path is appended.
 */
export function baseUrl(defaultUrl: string) {
  return z
    .url({ protocol: /^https?$/ })
    .default(defaultUrl)
    .transform((url) => url.replace(/\/+$/, ''));
}

/** Digits only: SMS.ru takes `7XXXXXXXXXX` and keys its answer by it. */
export function digitsOf(phone: string): string {
  return phone.replace(/\D/g, '');
}
