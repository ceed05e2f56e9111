import type { RequestHandler } from 'express';
import { requestUrl, type WebHandler, webRequestOf } from './web-request.js';
import { responsePartsOf } from './web-response.js';

export type { WebHandler } from './web-request.js';

/**
 * A Web `Request → Response` handler as an Express 4/5 route handler:
 * `app.post('/api/orders', toExpress(prozvon.handleOrderForm))`. The body is streamed to the
 * handler raw, so no body parser (`express.json()`, `express.urlencoded()`) may run before these
 * routes: mount them first, or the bridge throws naming the problem (an `express.raw()` Buffer is
 * used as it is). The client's address is `req.ip`, so `trust proxy` decides whether
 * `X-Forwarded-For` is believed.
 */
export function toExpress(handler: WebHandler): RequestHandler {
  return async (req, res, next) => {
    try {
      const request = webRequestOf({
        framework: 'express',
        method: req.method,
        url: requestUrl(req.protocol, req.get('host'), req.originalUrl),
        headers: req.headersDistinct,
        ip: req.ip,
        body: req,
        parsed: (req as { body?: unknown }).body,
      });
      const { status, headers, cookies, body } = await responsePartsOf(await handler(request));
      res.status(status);
      for (const [name, value] of headers) res.setHeader(name, value);
      for (const cookie of cookies) res.append('set-cookie', cookie);
      res.end(body);
    } catch (error) {
      next(error);
    }
  };
}
