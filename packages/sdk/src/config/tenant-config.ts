import { z } from 'zod';
import { workingHoursSchema } from '../hours/index.js';
import { countryCodeSchema } from '../phone/index.js';
import { abuseConfigSchema } from './abuse-config.js';

/**
 * The notices a shop can switch on or off. `machine` is the call outcome "an answering machine
 * took the call", on by default: the customer did not hear us, and only the sellers can call back.
 * `callOutcome` is every outcome, machine included.
 */
const NOTICE_KINDS = ['newLead', 'crmFailed', 'manual', 'callOutcome', 'machine'] as const;

const smsText = (fallback: string) =>
  z.string().trim().max(1_000, 'At most 1000 characters').default(fallback);

/**
 * One shop's settings: what the settings page edits and `createProzvon({ config })` takes. Every
 * field has a default, so `tenantConfigSchema.parse({})` is a working Moscow shop. SMS texts take
 * `{name}`, `{shop}`, `{orderSum}` and `{shopPhone}`, and square brackets around an optional part
 * (sms-text.ts); an empty text switches that SMS off. No default text promises what nothing does:
 * nobody reads replies, and a call back is the sellers' to make, so the texts only say the order
 * was accepted and give the shop's phone when there is one.
 */
export const tenantConfigSchema = z.strictObject({
  shopName: z.string().trim().min(1).max(100).default('Магазин'),
  /** The shop's phone as customers should dial it, for `{shopPhone}` in the SMS texts. */
  shopPhone: z
    .string()
    .trim()
    .regex(/^\+?[\d ()-]{5,30}$/, 'Expected a phone number: digits, spaces, +, -, ( and )')
    .optional(),
  hours: workingHoursSchema.prefault({}),
  retryIntervalMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  maxAttempts: z.number().int().min(1).max(10).default(3),
  callbackTimeoutMinutes: z.number().int().min(1).max(60).default(5),
  sms: z
    .strictObject({
      night: smsText('[{name}, ]заказ в «{shop}» принят. Мы позвоним вам в рабочее время.'),
      answered: smsText('[{name}, ]спасибо! Ваш заказ в «{shop}» подтверждён.'),
      machine: smsText(
        '[{name}, ]мы звонили из «{shop}» по вашему заказу: он принят.[ Если есть вопросы, позвоните нам: {shopPhone}.]',
      ),
    })
    .prefault({}),
  voice: z
    .strictObject({
      scenarioId: z.string().trim().min(1).default('prozvon-callback'),
      callerId: z.string().trim().min(1).default('+74950000000'),
    })
    .prefault({}),
  phone: z
    .strictObject({
      /** The country of a number typed without its code. */
      defaultCountry: countryCodeSchema.default('RU'),
      /** Countries we agree to call (toll fraud lives abroad: normalize-phone.ts). */
      allowedCountries: z.array(countryCodeSchema).min(1).default(['RU', 'KZ']),
    })
    .prefault({}),
  /** Which notices reach the sellers' chat. */
  notify: z.array(z.enum(NOTICE_KINDS)).default(['newLead', 'crmFailed', 'manual', 'machine']),
  /** Calls of this shop being started at once: paces the morning herd. */
  maxCallsInFlight: z.number().int().min(1).max(200).default(10),
  /** Limits per phone, per IP and per day (abuse-config.ts). */
  abuse: abuseConfigSchema.prefault({}),
});

export type TenantConfig = z.output<typeof tenantConfigSchema>;
export type TenantConfigInput = z.input<typeof tenantConfigSchema>;
