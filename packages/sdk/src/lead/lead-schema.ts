import { z } from 'zod';
import { isIanaZone } from '../hours/index.js';
import { describe, numberError, optional, optionalText, requiredText } from './text-fields.js';

/** Bounds of the intake contract (DESIGN.md, "The public HTTP contract"). */
export const LEAD_LIMITS = {
  name: 200,
  phone: 64,
  comment: 2_000,
  items: 100,
  itemName: 200,
  shortText: 200,
} as const;

// Node ships full ICU, so this is the list of ISO 4217 codes in use, without a table of our own.
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** A money amount: finite and ≥ 0. Numeric strings ("1500.50") are accepted, as HTML forms send them. */
const amount = z.preprocess(
  (value) => (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value),
  z.number({ error: numberError }).nonnegative('Must be 0 or more'),
);

const itemSchema = z.object({
  name: requiredText(LEAD_LIMITS.itemName),
  qty: z.number({ error: numberError }).positive('Must be more than 0'),
  price: amount,
});

const utmSchema = z.object({
  source: optionalText(LEAD_LIMITS.shortText),
  medium: optionalText(LEAD_LIMITS.shortText),
  campaign: optionalText(LEAD_LIMITS.shortText),
  content: optionalText(LEAD_LIMITS.shortText),
  term: optionalText(LEAD_LIMITS.shortText),
});

/** The referral parameters a lead's `utm` holds (`utm_source` … `utm_term` in a link or cookie). */
export const UTM_FIELDS = Object.keys(utmSchema.shape) as readonly (keyof z.infer<typeof utmSchema>)[];

/**
 * The intake payload a shop sends. Unknown fields are dropped (a shop may send more than we use);
 * strings are trimmed, well-formed, free of control characters, NFC and bounded (`text-fields.ts`).
 * The phone is kept as typed: whether it can be called is the call region's decision
 * (`call.invalid`), not a reason to refuse the lead.
 */
export const leadInputSchema = z.object({
  name: requiredText(LEAD_LIMITS.name),
  phone: requiredText(LEAD_LIMITS.phone),
  city: optionalText(LEAD_LIMITS.shortText),
  timezone: optional(
    z
      .string({ error: (issue) => `Expected a string, received ${describe(issue.input)}` })
      .trim()
      .refine(isIanaZone, 'Not an IANA time zone (e.g. Asia/Yekaterinburg)')
      .meta({
        description: "The customer's IANA time zone: no calls in their quiet hours.",
        example: 'Asia/Yekaterinburg',
      }),
  ),
  partnerCode: optionalText(LEAD_LIMITS.shortText).meta({
    description: 'The referring partner: the utm_source of the referral link.',
    example: 'PARTNER42',
  }),
  site: optionalText(LEAD_LIMITS.shortText),
  orderSum: optional(amount),
  currency: optional(
    z
      .string({ error: (issue) => `Expected a string, received ${describe(issue.input)}` })
      .trim()
      .toUpperCase()
      .refine((code) => CURRENCIES.has(code), 'Not an ISO 4217 currency code (e.g. RUB)')
      .meta({ description: 'ISO 4217 code of orderSum.', example: 'RUB' }),
  ),
  items: optional(z.array(itemSchema).max(LEAD_LIMITS.items, `At most ${LEAD_LIMITS.items} items`)),
  ip: optional(z.union([z.ipv4(), z.ipv6()], { error: 'Not an IPv4 or IPv6 address' })),
  ref: optionalText(LEAD_LIMITS.shortText).meta({
    description:
      'Idempotency: the same body with this ref again within 24 hours is answered as the first time ' +
      '(202, the same leadId); another body is refused (409) while a lead with this ref is in progress.',
  }),
  utm: optional(utmSchema),
  comment: optionalText(LEAD_LIMITS.comment, { multiline: true }),
});

/** What a shop sends: the argument of `submitLead()` and the body of the intake route. */
export type LeadInput = z.input<typeof leadInputSchema>;
/** A lead after validation: trimmed, bounded, blanks removed, currency upper-cased. */
export type Lead = z.output<typeof leadInputSchema>;
