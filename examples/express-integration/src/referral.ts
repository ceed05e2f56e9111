import type { RequestHandler } from 'express';

/**
 * The UTM parameters a referral link may carry; each is kept in a cookie of the same name, which
 * the SDK's order-form handler reads (`utm_source` as the partner's code).
 */
export const UTM_PARAMS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term'] as const;

/** How long a referral counts: a customer who comes back within 30 days is still the partner's. */
const REFERRAL_MAX_AGE_MS = 30 * 24 * 3600_000;

/**
 * `/?utm_source=PARTNER42`: the seed's shop kept the partner's code in a `utm_source` cookie after
 * a referral link and posted its cookies with the form. The SDK's order-form handler reads the
 * cookie, not a form field, so a customer cannot pick a partner by editing the page.
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
