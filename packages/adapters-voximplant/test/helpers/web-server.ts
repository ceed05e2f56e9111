import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export type WebHandler = (request: Request) => Promise<Response>;

export interface WebServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves Web `Request → Response` handlers on 127.0.0.1, as a shop's framework would mount them;
 * routes are exact paths. Unref'd, so a forgotten close() never holds the test process open.
 */
export async function serveOnLoopback(routes: Record<string, WebHandler>): Promise<WebServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const handler = routes[path];
    toRequest(req)
      .then((request) => (handler ? handler(request) : new Response('not found', { status: 404 })))
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function toRequest(req: IncomingMessage): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers))
    if (typeof value === 'string') headers.set(name, value);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(`http://127.0.0.1${req.url ?? '/'}`, {
    method: req.method ?? 'GET',
    headers,
    ...(hasBody ? { body: Buffer.concat(chunks) } : {}),
  });
}
