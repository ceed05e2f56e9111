import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { decodePhpParams } from '../../src/bitrix24/index.js';

export interface Received {
  path: string;
  query: URLSearchParams;
  contentType: string;
  // biome-ignore lint/suspicious/noExplicitAny: the decoded form body, asserted field by field
  body: any;
}

const servers: { close(): void }[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** A stand-in for an app's handler on loopback: records each POST, answers with `status`. */
export async function startReceiver(status = 200): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer(async (req, res) => {
    const raw = await readAll(req);
    const url = new URL(req.url ?? '/', 'http://x');
    received.push({
      path: url.pathname,
      query: url.searchParams,
      contentType: req.headers['content-type'] ?? '',
      body: decodePhpParams(new URLSearchParams(raw)),
    });
    res.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  servers.push({ close: () => server.close() });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}
