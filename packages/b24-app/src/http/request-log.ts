import type { Logger } from '@prozvon/sdk';
import type { Middleware } from 'koa';

/**
 * One structured line per request: the route's pattern, never the URL itself (the Corezoid
 * drop-in carries its secret in the path), the status and the time taken. A handler that throws
 * is answered 500 with no detail, and the error logged.
 */
export function requestLog(logger: Logger): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } catch (error) {
      logger.error({ err: error, route: routeOf(ctx) }, 'request failed');
      ctx.status = 500;
      ctx.body = { error: 'internal_error' };
    }
    const line = {
      method: ctx.method,
      route: routeOf(ctx),
      status: ctx.status,
      ms: Math.round(performance.now() - started),
    };
    if (ctx.status >= 500) logger.error(line, 'request');
    else logger.debug(line, 'request');
  };
}

function routeOf(ctx: { _matchedRoute?: string | RegExp; path: string }): string {
  const route = ctx._matchedRoute;
  return route === undefined ? '(unmatched)' : String(route);
}
