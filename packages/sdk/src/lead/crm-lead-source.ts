import { z } from 'zod';
import { InvalidLeadError, type LeadIssue } from './parse-lead.js';
import { optional, optionalText, requiredText } from './text-fields.js';

/** Bounds of what an adopted lead says of its CRM lead. */
export const CRM_SOURCE_LIMITS = { crmLeadId: 64, crmUrl: 2_000, origin: 64 } as const;

/**
 * The CRM lead a lead is adopted from (`LeadEngine.adoptCrmLead`): a lead that already exists in
 * the shop's CRM — a CRM web form, a seller's entry, the CRM's callback widget. Bitrix24 sends ids
 * as numeric strings; a number is taken too, as its decimal string, so `42` and `"42"` are one key.
 */
export const crmLeadSourceSchema = z.object({
  crmLeadId: z.preprocess(
    (value) => (typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value),
    requiredText(CRM_SOURCE_LIMITS.crmLeadId).regex(/^\S*$/, 'Must not contain spaces'),
  ),
  /** The link to the lead's card, shown to the sellers in notices. */
  crmUrl: optional(
    z
      .url({ protocol: /^https?$/, error: 'Not an http(s) URL' })
      .max(CRM_SOURCE_LIMITS.crmUrl, `At most ${CRM_SOURCE_LIMITS.crmUrl} characters`),
  ),
  /** What made the CRM lead (`webform`, `callback`, `manual`…): for the audit trail only. */
  origin: optionalText(CRM_SOURCE_LIMITS.origin),
});

export type CrmLeadSourceInput = z.input<typeof crmLeadSourceSchema>;
export type CrmLeadSource = z.output<typeof crmLeadSourceSchema>;

export type ParseCrmLeadSourceResult =
  | { ok: true; source: CrmLeadSource }
  | { ok: false; error: InvalidLeadError };

/** Validates what the caller says of the CRM lead; issues' paths start with `crm.`. Never throws. */
export function parseCrmLeadSource(input: unknown): ParseCrmLeadSourceResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, error: new InvalidLeadError([{ path: 'crm', message: 'Expected an object' }]) };
  }
  const parsed = crmLeadSourceSchema.safeParse(input);
  if (parsed.success) return { ok: true, source: parsed.data };
  const issues = parsed.error.issues.map(
    (issue): LeadIssue => ({ path: ['crm', ...issue.path.map(String)].join('.'), message: issue.message }),
  );
  return { ok: false, error: new InvalidLeadError(issues) };
}
