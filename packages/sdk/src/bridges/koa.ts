import type { Middleware } from 'koa';
import { requestUrl, type WebHandler, webRequestOf } from './web-request.js';
import { responsePartsOf } from './web-response.js';

export type { WebHandler } from './web-request.js';

/**
 * A Web `Request → Response` handler as Koa 2/3 middleware that answers the request itself:
 * `router.post('/api/orders', toKoa(prozvon.handleOrderForm))` with `@koa/router`. The body is read
 * raw from `ctx.req`, so no body parser (`@koa/bodyparser`) may run before these routes, or the
 * bridge throws naming the problem. The client's address is `ctx.ip`, so `app.proxy` decides
 * whether `X-Forwarded-For` is believed.
 */
export function toKoa(handler: WebHandler): Middleware {
  return async (ctx) => {
    const request = webRequestOf({
      framework: 'koa',
      method: ctx.method,
      url: requestUrl(ctx.protocol, ctx.host, ctx.originalUrl),
      headers: ctx.req.headersDistinct,
      ip: ctx.ip,
      body: ctx.req,
      parsed: (ctx.request as { body?: unknown }).body,
    });
    const { status, headers, cookies, body } = await responsePartsOf(await handler(request));
    ctx.status = status;
    for (const [name, value] of headers) ctx.set(name, value);
    for (const cookie of cookies) ctx.append('set-cookie', cookie);
    ctx.body = body;
  };
}
