import { z } from 'zod';
import { workingHoursSchema } from '../hours/index.js';

const NOTICE_KINDS = ['newLead', 'crmFailed', 'manual', 'callOutcome'] as const;

const smsText = (fallback: string) =>
  z.string().trim().max(1_000, 'At most 1000 characters').default(fallback);

/**
 * One shop's settings: what the settings page edits and `createProzvon({ config })` takes. Every
 * field has a default, so `tenantConfigSchema.parse({})` is a working Moscow shop. SMS texts take
 * `{name}`, `{shop}` and `{orderSum}`; an empty text switches that SMS off.
 */
export const tenantConfigSchema = z.strictObject({
  shopName: z.string().trim().min(1).max(100).default('Магазин'),
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
      night: smsText('{name}, заказ в «{shop}» принят. Мы позвоним вам в рабочее время.'),
      answered: smsText('{name}, спасибо! Ваш заказ в «{shop}» подтверждён.'),
      machine: smsText(
        '{name}, мы звонили из «{shop}» по вашему заказу. Перезвоним или ответьте на это SMS.',
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
      defaultCountry: z.string().length(2).toUpperCase().default('RU'),
      allowedCountries: z.array(z.string().length(2).toUpperCase()).min(1).default(['RU', 'KZ']),
    })
    .prefault({}),
  /** Which notices reach the sellers' chat. */
  notify: z.array(z.enum(NOTICE_KINDS)).default(['newLead', 'crmFailed', 'manual']),
  /** Calls of this shop being started at once: paces the morning herd. */
  maxCallsInFlight: z.number().int().min(1).max(200).default(10),
});

export type TenantConfig = z.output<typeof tenantConfigSchema>;
export type TenantConfigInput = z.input<typeof tenantConfigSchema>;

/** Fills `{name}`, `{shop}`, `{orderSum}`; an unknown placeholder is left as typed. */
export function renderSmsText(
  template: string,
  values: { name: string; shop: string; orderSum?: number | undefined; currency?: string | undefined },
): string {
  const sum = values.orderSum === undefined ? '' : sumFormat(values.currency).format(values.orderSum);
  const table: Record<string, string> = { name: values.name, shop: values.shop, orderSum: sum };
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => table[key] ?? whole);
}

/** Building an Intl.NumberFormat costs about 100 µs, using one about 1 µs: one per currency. */
const sumFormats = new Map<string, Intl.NumberFormat>();

function sumFormat(currency: string | undefined): Intl.NumberFormat {
  const key = currency ?? '';
  let format = sumFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat('ru-RU', {
      style: currency ? 'currency' : 'decimal',
      currency,
      maximumFractionDigits: 2,
    });
    sumFormats.set(key, format);
  }
  return format;
}
