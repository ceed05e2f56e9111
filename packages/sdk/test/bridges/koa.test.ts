import Router from '@koa/router';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { toKoa } from '../../src/bridges/koa.js';
import { bridgeSuite, listening, postOnce, type Routes, recordingRoutes } from './bridge-suite.js';

// Issue 14, point 6: `@prozvon/sdk/koa`, one line per route (with @koa/router).

bridgeSuite('Koa', (routes: Routes) => {
  const app = new Koa();
  const router = new Router();
  router.post('/api/orders', toKoa(routes.orderForm));
  router.post('/leads', toKoa(routes.intake));
  router.post('/voice/callback', toKoa(routes.voice));
  app.use(router.routes());
  return listening(app);
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
    const answer = await postOnce(listening(app), '/voice/callback');
    expect(answer.status).toBe(500);
    expect(errors).toEqual([expect.stringMatching(/^@prozvon\/sdk\/koa: the request body was already read/)]);
  });
});
