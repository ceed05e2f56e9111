import { leadInputSchema, UTM_FIELDS } from '../lead/index.js';

/** The lead's one-value fields, which a form can carry as they are (`items` and `utm` are nested). */
const FORM_FIELDS = Object.keys(leadInputSchema.shape).filter(
  (field) => field !== 'items' && field !== 'utm',
);

/**
 * A plain HTML form (`application/x-www-form-urlencoded`) as an intake body: each field of the
 * lead under its own name (`name`, `phone`, `comment`, `timezone`, `ref`, …), and `utm_source` …
 * `utm_term` — the names of a referral link's parameters, which a page copies into hidden fields —
 * as `utm`. Only known names are read (a field named `__proto__` is just ignored); of a repeated
 * field the first value counts. The lead schema then validates this like any JSON body.
 */
export function leadFromForm(text: string): Record<string, unknown> {
  const form = new URLSearchParams(text);
  const lead: Record<string, unknown> = {};
  for (const field of FORM_FIELDS) {
    const value = form.get(field);
    if (value !== null) lead[field] = value;
  }
  const utm: Record<string, string> = {};
  for (const field of UTM_FIELDS) {
    const value = form.get(`utm_${field}`);
    if (value !== null) utm[field] = value;
  }
  if (Object.keys(utm).length > 0) lead.utm = utm;
  return lead;
}
