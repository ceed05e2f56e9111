import type { Readable } from 'node:stream';
import { withClientAddress } from '../http/client-address.js';

/** A framework-neutral handler, as the SDK and the adapters export them. */
export type WebHandler = (request: Request) => Promise<Response>;

/** What a bridge knows of an incoming request, in its framework's own terms. */
export interface IncomingParts {
  /** `express`, `fastify` or `koa`: named in the error for a body already read. */
  readonly framework: string;
  readonly method: string;
  readonly url: URL;
  /** Every header with all its values (`req.headersDistinct`). */
  readonly headers: Record<string, string[] | undefined>;
  /** The client's address as the framework sees it (behind its proxy setting). */
  readonly ip: string | undefined;
  /** Where the body is read from: the Node request, or the stream a content-type parser handed on. */
  readonly body: Readable;
  /** What a body parser already made of the body, if one ran: only raw bytes (a Buffer) can be used. */
  readonly parsed?: unknown;
}

/**
 * A Web `Request` over a Node request, its body streamed as it arrives and never buffered here:
 * the SDK's handlers read it bounded (a 413 at the declared length, or as soon as the bytes pass
 * the limit), and the voice route checks its signature over exactly the bytes that were sent.
 */
export function webRequestOf(incoming: IncomingParts): Request {
  const headers = new Headers();
  for (const [name, values] of Object.entries(incoming.headers)) {
    // HTTP/2 pseudo-headers (`:path`) are not headers a Request can carry.
    if (name.startsWith(':') || values === undefined) continue;
    for (const value of values) headers.append(name, value);
  }
  const init: RequestInit & { duplex?: 'half' } = { method: incoming.method, headers };
  if (incoming.method !== 'GET' && incoming.method !== 'HEAD') {
    const { body } = incoming;
    if (body.readableDidRead || body.readableEnded) {
      if (!Buffer.isBuffer(incoming.parsed)) throw bodyAlreadyRead(incoming.framework);
      init.body = incoming.parsed;
    } else {
      init.body = streamOf(body);
      init.duplex = 'half';
    }
  }
  return withClientAddress(new Request(incoming.url, init), incoming.ip);
}

/**
 * The URL the client asked for. A Host header that makes no URL (anyone can send one) falls back to
 * `localhost` rather than a 5xx, and a path is always a path: `//other.host/x` stays on this host.
 */
export function requestUrl(protocol: string, host: string | undefined, path: string): URL {
  const rooted = path.startsWith('/') ? path : `/${path}`;
  let url: URL;
  try {
    url = new URL(rooted, 'http://localhost');
  } catch {
    url = new URL('http://localhost/');
  }
  // The path is the request's own; the Host header (a client's to choose) may only name the host.
  // Spliced into the text, `Host: x/voice/other` had become part of the path a tenant is read from.
  if (protocol === 'https') url.protocol = 'https:';
  if (host !== undefined) url.host = host; // the setter stops at '/', '?', '#': never the path
  return url;
}

function bodyAlreadyRead(framework: string): Error {
  return new Error(
    `@prozvon/sdk/${framework}: the request body was already read by a body parser, so the raw bytes ` +
      '(which the voice signature is checked over) are gone. Mount the Prozvon routes before any body ' +
      'parser, or keep the parser off these paths.',
  );
}

/**
 * The Node stream as a Web stream with backpressure. Cancelling it (the handler read enough to
 * refuse) lets the rest flow by unread, as Node does with a body nobody read: destroying the
 * request would reset the socket, and a client still sending could lose the 413 to that reset.
 * Node's `requestTimeout` still bounds a body that never ends.
 */
function streamOf(source: Readable): ReadableStream<Uint8Array> {
  let settled = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const settle = (finish: () => void) => {
        if (settled) return;
        settled = true;
        finish();
      };
      source.on('data', (chunk: Buffer) => {
        if (settled) return;
        controller.enqueue(chunk);
        if ((controller.desiredSize ?? 0) <= 0) source.pause();
      });
      source.once('end', () => settle(() => controller.close()));
      source.once('error', (error) => settle(() => controller.error(error)));
      // The client went away mid-body: the handler's read rejects, as `request.text()` would.
      source.once('close', () =>
        settle(() => controller.error(new Error('The client closed the connection before the body ended'))),
      );
    },
    pull() {
      source.resume();
    },
    cancel() {
      settled = true;
      source.resume();
    },
  });
}
