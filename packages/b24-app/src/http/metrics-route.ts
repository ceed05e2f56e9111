import { sameSecret } from '@prozvon/sdk';
import type { WebHandler } from '@prozvon/sdk/koa';

/**
 * `GET /metrics` behind a bearer token (`PROZVON_METRICS_TOKEN`): Prometheus's `authorization`
 * scrape setting sends it. Without a token configured the route does not exist (404), so an
 * operator who never set one exposes nothing.
 */
export function metricsRoute(token: string | null | undefined, metrics: WebHandler): WebHandler {
  return async (request) => {
    if (token === null || token === undefined) return new Response('Not Found\n', { status: 404 });
    const given = /^Bearer (.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
    if (!sameSecret(given, token)) {
      return new Response('Unauthorized\n', {
        status: 401,
        headers: { 'www-authenticate': 'Bearer realm="prozvon-metrics"' },
      });
    }
    return metrics(request);
  };
}
