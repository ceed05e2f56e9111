import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { toKoa } from '../../src/bridges/koa.js';
import { bridgeSuite, type Routes, recordingRoutes, type Served } from './bridge-suite.js';
import { httpRequest } from './http-client.js';

// Issue 14, point 6: `@prozvon/sdk/koa`, one line per route (with @koa/router).

function serve(app: Koa): Promise<Served> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

bridgeSuite('Koa', (routes: Routes) => {
  const app = new Koa();
  const router = new Router();
  router.post('/api/orders', toKoa(routes.orderForm));
  router.post('/leads', toKoa(routes.intake));
  router.post('/voice/callback', toKoa(routes.voice));
  app.use(router.routes());
  return serve(app);
});

describe('the Koa bridge behind a body parser', () => {
  it('throws an error naming the problem, rather than a body it cannot check', async () => {
    const errors: string[] = [];
    const app = new Koa();
    app.silent = true;
    app.on('error', (error: Error) => errors.push(error.message));
    // What a body parser does: reads ctx.req to its end before the route.
    app.use(async (ctx, next) => {
      for await (const _chunk of ctx.req) {
        // drained
      }
      await next();
    });
    app.use(toKoa(recordingRoutes().routes.voice));
    const server = await serve(app);
    try {
      const answer = await httpRequest(`${server.url}/voice/callback`, {
        headers: { 'content-type': 'application/json' },
        body: Buffer.from('{"a":1}'),
      });
      expect(answer.status).toBe(500);
      expect(errors).toEqual([
        expect.stringMatching(/^@prozvon\/sdk\/koa: the request body was already read/),
      ]);
    } finally {
      await server.close();
    }
  });
});
