import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** A running simulator's socket: where it listens and how to stop it. */
export interface SimServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface ListenOptions {
  /** 0 (the default) lets the OS pick a free port, so parallel test files never collide. */
  port?: number;
  /** Serve HTTPS with this key and certificate (Bitrix24's SDK speaks only HTTPS). */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

/**
 * Starts a server bound to 127.0.0.1 only: a simulator must never be reachable from outside the
 * machine. The server is unref()'d so a test that forgets close() still exits.
 */
export async function listenOnLoopback(
  handler: RequestListener,
  options: ListenOptions = {},
): Promise<SimServer> {
  const server: Server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler)
    : createHttpServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.unref();
  const { port } = server.address() as AddressInfo;
  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close() {
      // Idempotent: afterEach and an explicit close in the test may both call it.
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // close() drops idle keep-alive sockets itself but waits for requests still in flight
        // (a simulator with injected latency); a test's teardown must not wait for them.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
