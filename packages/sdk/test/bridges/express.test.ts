import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler } from 'express';
import { describe, expect, it } from 'vitest';
import { toExpress } from '../../src/bridges/express.js';
import { bridgeSuite, type Routes, recordingRoutes, type Served } from './bridge-suite.js';
import { httpRequest } from './http-client.js';

// Issue 14, point 6: `@prozvon/sdk/express`, one line per route.

function serve(app: express.Express): Promise<Served> {
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

bridgeSuite('Express', (routes: Routes) => {
  const app = express();
  app.post('/api/orders', toExpress(routes.orderForm));
  app.post('/leads', toExpress(routes.intake));
  app.post('/voice/callback', toExpress(routes.voice));
  return serve(app);
});

describe('the Express bridge behind a body parser', () => {
  it('passes an error naming the problem to the app, rather than a body it cannot check', async () => {
    const errors: string[] = [];
    const app = express();
    app.use(express.json());
    app.post('/voice/callback', toExpress(recordingRoutes().routes.voice));
    const failed: ErrorRequestHandler = (error: Error, _req, res, _next) => {
      errors.push(error.message);
      res.status(500).end();
    };
    app.use(failed);
    const server = await serve(app);
    try {
      const answer = await httpRequest(`${server.url}/voice/callback`, {
        headers: { 'content-type': 'application/json' },
        body: Buffer.from('{"a":1}'),
      });
      expect(answer.status).toBe(500);
      expect(errors).toEqual([
        expect.stringMatching(/^@prozvon\/sdk\/express: the request body was already read/),
      ]);
    } finally {
      await server.close();
    }
  });

  it('uses the Buffer of express.raw() as the body', async () => {
    const { routes, voiceCalls } = recordingRoutes();
    const app = express();
    app.use(express.raw({ type: '*/*' }));
    app.post('/voice/callback', toExpress(routes.voice));
    const server = await serve(app);
    try {
      const bytes = Buffer.from([0x7b, 0xff, 0x7d]);
      const answer = await httpRequest(`${server.url}/voice/callback`, {
        headers: { 'content-type': 'application/json' },
        body: bytes,
      });
      expect(answer.status).toBe(201);
      expect(voiceCalls[0]?.bytes.equals(bytes)).toBe(true);
    } finally {
      await server.close();
    }
  });
});
