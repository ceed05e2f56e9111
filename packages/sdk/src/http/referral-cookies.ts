import type { LeadInput } from '../lead/index.js';
import { LEAD_LIMITS, UTM_FIELDS } from '../lead/index.js';

/**
 * The referral a request's cookies carry: `utm_source` … `utm_term`, the cookies a shop sets from a
 * referral link's parameters (`/?utm_source=PARTNER42`), as `utm`, and `utm_source` as
 * `partnerCode`. A cookie is what the shop's own page set, not a field the customer fills in; one
 * that is malformed, blank or carries a control character is ignored, and a long one cut, so a
 * strange cookie never costs the shop an order.
 */
export function referralFromCookies(header: string | null): Pick<LeadInput, 'partnerCode' | 'utm'> {
  const cookies = new Map<string, string>();
  for (const pair of (header ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at < 0) continue;
    const name = pair.slice(0, at).trim();
    // Of a repeated cookie the first counts, as browsers send the most specific path first.
    if (!name.startsWith('utm_') || cookies.has(name)) continue;
    const value = decoded(pair.slice(at + 1).trim());
    if (value !== undefined) cookies.set(name, value);
  }
  const utm: Record<string, string> = {};
  for (const field of UTM_FIELDS) {
    const value = cookies.get(`utm_${field}`);
    if (value !== undefined) utm[field] = value;
  }
  if (Object.keys(utm).length === 0) return {};
  return { ...(utm.source === undefined ? {} : { partnerCode: utm.source }), utm };
}

function decoded(raw: string): string | undefined {
  let value: string;
  try {
    value = decodeURIComponent(raw.replace(/^"(.*)"$/, '$1')).trim();
  } catch {
    return undefined;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (value === '' || /[\u0000-\u001f\u007f-\u009f]/.test(value) || !value.isWellFormed()) return undefined;
  const cut = value.slice(0, LEAD_LIMITS.shortText);
  // A cut between the halves of a surrogate pair would leave a lone one, which the schema refuses.
  return cut.isWellFormed() ? cut : cut.slice(0, -1);
}
