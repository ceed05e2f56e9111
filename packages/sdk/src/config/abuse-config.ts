import { z } from 'zod';

/** A limit, or null for none (a shop whose leads all come from its own server's IP). */
const limit = (fallback: number) => z.number().int().min(1).max(1_000_000).nullable().default(fallback);

/**
 * What keeps a shop's form from being used as a free calling and texting service (abuse/). The
 * defaults are set so that a real shop never meets them: a customer who orders five times in an
 * hour, or a thousand customers a day, is not what they are for.
 *
 * Per phone and per IP, a lead over the limit is refused (HTTP 429) and nothing is stored. Hours
 * are clock hours and days the shop's days (in `hours.timezone`), counted in fixed windows.
 * The daily ceilings bound what the shop pays: each lead that may be called reserves its most
 * (`maxAttempts` calls and each SMS it could get); a lead past a ceiling is still accepted and
 * reaches the CRM and the sellers, but is neither called nor texted.
 */
export const abuseConfigSchema = z.strictObject({
  phonePerHour: limit(5),
  phonePerDay: limit(10),
  ipPerHour: limit(30),
  callsPerDay: limit(3_000),
  smsPerDay: limit(2_000),
});

export type AbuseConfig = z.output<typeof abuseConfigSchema>;
