import type { RequestHandler } from 'express';

/** The UTM parameters a referral link may carry; each is kept in a cookie of the same name. */
export const UTM_PARAMS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term'] as const;
type UtmParam = (typeof UTM_PARAMS)[number];

/** How long a referral counts: a customer who comes back within 30 days is still the partner's. */
const REFERRAL_MAX_AGE_MS = 30 * 24 * 3600_000;

/**
 * `/?utm_source=PARTNER42`: the seed's shop kept the partner's code in a `utm_source` cookie after
 * a referral link and posted its cookies with the form. The backend reads the cookie, not a form
 * field, so a customer cannot pick a partner by editing the page.
 */
export function referralCookies(): RequestHandler {
  return (req, res, next) => {
    const query = new URL(req.originalUrl, 'http://shop').searchParams;
    for (const name of UTM_PARAMS) {
      const value = query.get(name)?.trim();
      if (value)
        res.cookie(name, value.slice(0, 200), {
          maxAge: REFERRAL_MAX_AGE_MS,
          httpOnly: true,
          sameSite: 'lax',
          path: '/',
        });
    }
    next();
  };
}

/** The UTM cookies of a request (`Cookie` header), unknown and malformed ones ignored. */
export function utmFromCookies(header: string | null): Partial<Record<UtmParam, string>> {
  const found: Partial<Record<UtmParam, string>> = {};
  for (const pair of (header ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at < 0) continue;
    const name = pair.slice(0, at).trim();
    if (!(UTM_PARAMS as readonly string[]).includes(name)) continue;
    let value: string;
    try {
      value = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      continue;
    }
    if (value !== '') found[name as UtmParam] = value.slice(0, 200);
  }
  return found;
}
