import { jsonResponse } from '@prozvon/sdk';

type WebHandler = (request: Request) => Promise<Response>;

/** What a shop page's script may send: the intake contract's JSON and its two secret headers. */
const ALLOWED_HEADERS = 'Content-Type, Authorization, X-Prozvon-Secret';
/** How long a browser may reuse a preflight: short, so removing an origin takes effect soon. */
const PREFLIGHT_MAX_AGE_SEC = 600;

/**
 * CORS for a portal's listed shop origins around a Web handler. A preflight (`OPTIONS`) is
 * answered 204 with `POST` and the intake's headers for a listed origin only, else 403 with no
 * CORS header; a request from a listed origin gets `Access-Control-Allow-Origin` echoed (never `*`,
 * never credentials: the secret travels in a header, not a cookie). A request naming an origin
 * that is not listed is refused with 403 before the handler runs: a browser would hide the answer
 * anyway, and a lead from another site's page is not the shop's. A request without `Origin` (the
 * shop's own server) goes through untouched.
 */
export function corsFor(origins: readonly string[]): (handler: WebHandler) => WebHandler {
  const listed = new Set(origins.flatMap((origin) => normalized(origin) ?? []));
  return (handler) => async (request) => {
    const origin = request.headers.get('origin');
    const allowed = origin !== null && listed.has(origin);
    if (request.method === 'OPTIONS') {
      const method = request.headers.get('access-control-request-method');
      if (!allowed || method?.toUpperCase() !== 'POST') {
        return new Response(null, { status: 403, headers: { vary: 'Origin', 'cache-control': 'no-store' } });
      }
      return new Response(null, {
        status: 204,
        headers: {
          'access-control-allow-origin': origin,
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers': ALLOWED_HEADERS,
          'access-control-max-age': String(PREFLIGHT_MAX_AGE_SEC),
          vary: 'Origin',
        },
      });
    }
    if (origin !== null && !allowed) {
      return jsonResponse(403, { error: 'origin_not_allowed' }, { vary: 'Origin' });
    }
    const response = await handler(request);
    if (origin === null) return response;
    const headers = new Headers(response.headers);
    headers.set('access-control-allow-origin', origin);
    // A form that was refused for its rate learns when to try again.
    headers.set('access-control-expose-headers', 'Retry-After');
    headers.append('vary', 'Origin');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}

/**
 * A listed origin as browsers send it (`https://shop.example`, lower case, no path, default port
 * dropped); null for an entry that is not an http(s) origin, so a typo never allows `null`.
 */
function normalized(origin: string): string | null {
  try {
    const url = new URL(origin.trim());
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    return url.origin;
  } catch {
    return null;
  }
}
