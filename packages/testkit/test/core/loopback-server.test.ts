import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { listenOnLoopback, type SimServer } from '../../src/core/loopback-server.js';

let server: SimServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('listenOnLoopback', () => {
  it('binds a free port on 127.0.0.1 and answers there', async () => {
    server = await listenOnLoopback((_req, res) => res.end('pong'));
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const res = await fetch(`${server.url}/ping`);
    expect(await res.text()).toBe('pong');
  });

  it('gives two servers different ports', async () => {
    server = await listenOnLoopback((_req, res) => res.end('a'));
    const other = await listenOnLoopback((_req, res) => res.end('b'));
    try {
      expect(other.port).not.toBe(server.port);
    } finally {
      await other.close();
    }
  });

  it('closes promptly with an idle keep-alive socket open', async () => {
    server = await listenOnLoopback((_req, res) => res.end('ok'));
    const { port } = server;
    // A keep-alive request leaves an idle pooled socket behind.
    const socketStillOpen = await new Promise<boolean>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/', headers: { connection: 'keep-alive' } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(!req.socket?.destroyed));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(socketStillOpen).toBe(true);
    const outcome = await Promise.race([server.close().then(() => 'closed'), sleep(2500, 'hung')]);
    expect(outcome).toBe('closed');
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  it('closes promptly while a request is still unanswered', async () => {
    // A simulator with injected latency may be mid-request when a test ends; close() must not wait.
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    server = await listenOnLoopback(() => arrived());
    const pending = fetch(`${server.url}/slow`);
    await requestArrived;
    const outcome = await Promise.race([server.close().then(() => 'closed'), sleep(2500, 'hung')]);
    expect(outcome).toBe('closed');
    await expect(pending).rejects.toThrow(TypeError);
  });

  it('lets close() be called twice', async () => {
    server = await listenOnLoopback((_req, res) => res.end('ok'));
    await server.close();
    await expect(server.close()).resolves.toBeUndefined();
  });

  it('rejects when the port is taken', async () => {
    server = await listenOnLoopback((_req, res) => res.end('ok'));
    await expect(listenOnLoopback((_req, res) => res.end('x'), { port: server.port })).rejects.toThrow(
      /EADDRINUSE/,
    );
  });
});
