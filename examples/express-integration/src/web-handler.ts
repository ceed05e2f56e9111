import type { Request as ExpressRequest, Response as ExpressResponse, RequestHandler } from 'express';

/** A framework-neutral handler, as the SDK and the adapters export them. */
export type WebHandler = (request: Request) => Promise<Response>;

/** The Express request a Web `Request` was made from: what the IP and cookies are read from. */
const origins = new WeakMap<Request, ExpressRequest>();

export function expressRequestOf(request: Request): ExpressRequest | undefined {
  return origins.get(request);
}

/**
 * Mounts a Web `Request → Response` handler in Express: the whole bridge is these few lines. The
 * body is read raw (no `express.json()` on these routes), so a signature is checked over the
 * exact bytes that were signed and the SDK's handler names a bad body itself.
 */
export function mountWeb(handler: WebHandler, options: { maxBodyBytes?: number } = {}): RequestHandler {
  const maxBytes = options.maxBodyBytes ?? 1024 * 1024;
  return async (req, res, next) => {
    try {
      const request = await toRequest(req, maxBytes);
      if (request === null) {
        res.status(413).json({ error: 'too_large', maxBytes });
        return;
      }
      origins.set(request, req);
      await send(await handler(request), res);
    } catch (error) {
      next(error);
    }
  };
}

/** The Web request, or null when the body is over `maxBytes` (read no further). */
async function toRequest(req: ExpressRequest, maxBytes: number): Promise<Request | null> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const chunks: Buffer[] = [];
  let size = 0;
  if (hasBody)
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) return null;
      chunks.push(chunk);
    }
  return new Request(requestUrl(req), {
    method: req.method,
    headers,
    ...(hasBody ? { body: Buffer.concat(chunks) } : {}),
  });
}

/** The URL the client asked for; a Host header that makes no URL (anyone can send one) is not a 5xx. */
function requestUrl(req: ExpressRequest): URL {
  try {
    return new URL(req.originalUrl, `${req.protocol}://${req.get('host') ?? 'localhost'}`);
  } catch {
    return new URL(req.originalUrl.replace(/^[^/]*/, ''), 'http://localhost');
  }
}

async function send(response: Response, res: ExpressResponse): Promise<void> {
  res.status(response.status);
  response.headers.forEach((value, name) => {
    res.append(name, value);
  });
  res.end(Buffer.from(await response.arrayBuffer()));
}
