import { Readable } from 'node:stream';
import type { FastifyPluginAsync, HTTPMethods, RouteHandlerMethod } from 'fastify';
import { requestUrl, type WebHandler, webRequestOf } from './web-request.js';
import { responsePartsOf } from './web-response.js';

export type { WebHandler } from './web-request.js';

/**
 * A route of its own for a Web `Request → Response` handler, as a Fastify 5 plugin:
 * `app.register(fastifyRoute('POST', '/api/orders', prozvon.handleOrderForm))`. Inside it (and
 * only there: a plugin is its own scope) Fastify's body parsers are replaced by one that hands the
 * body on unread, so the handler reads it raw and bounded and answers any content type itself
 * (its 415, its 413) — the rest of the app keeps its JSON parser.
 */
export function fastifyRoute(
  method: HTTPMethods | HTTPMethods[],
  url: string,
  handler: WebHandler,
): FastifyPluginAsync {
  return async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => {
      done(null, payload);
    });
    scope.route({ method, url, handler: toFastify(handler) });
  };
}

/**
 * The route handler alone, for a scope whose content-type parsers already hand the body on unread
 * (as `fastifyRoute` sets them); behind Fastify's own JSON parser it throws, naming the problem.
 * The client's address is `request.ip`, so `trustProxy` decides whether `X-Forwarded-For` is
 * believed.
 */
export function toFastify(handler: WebHandler): RouteHandlerMethod {
  return async (request, reply) => {
    const { body: given } = request;
    const webRequest = webRequestOf({
      framework: 'fastify',
      method: request.method,
      url: requestUrl(request.protocol, request.host, request.url),
      headers: request.raw.headersDistinct,
      ip: request.ip,
      // The parser above hands on the payload (the raw request, or its decompressed stream).
      body: given instanceof Readable ? given : request.raw,
      parsed: given,
    });
    const { status, headers, cookies, body } = await responsePartsOf(await handler(webRequest));
    reply.code(status);
    for (const [name, value] of headers) reply.header(name, value);
    if (cookies.length > 0) reply.header('set-cookie', cookies);
    return reply.send(body);
  };
}
