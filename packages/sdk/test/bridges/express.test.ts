import express, { type ErrorRequestHandler } from 'express';
import { describe, expect, it } from 'vitest';
import { toExpress } from '../../src/bridges/express.js';
import { bridgeSuite, listening, postOnce, type Routes, recordingRoutes } from './bridge-suite.js';

// Issue 14, point 6: `@prozvon/sdk/express`, one line per route.

bridgeSuite('Express', (routes: Routes) => {
  const app = express();
  app.post('/api/orders', toExpress(routes.orderForm));
  app.post('/leads', toExpress(routes.intake));
  app.post('/voice/callback', toExpress(routes.voice));
  return listening(app);
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
    const answer = await postOnce(listening(app), '/voice/callback');
    expect(answer.status).toBe(500);
    expect(errors).toEqual([
      expect.stringMatching(/^@prozvon\/sdk\/express: the request body was already read/),
    ]);
  });

  it('uses the Buffer of express.raw() as the body', async () => {
    const { routes, voiceCalls } = recordingRoutes();
    const app = express();
    app.use(express.raw({ type: '*/*' }));
    app.post('/voice/callback', toExpress(routes.voice));
    const bytes = Buffer.from([0x7b, 0xff, 0x7d]);
    const answer = await postOnce(listening(app), '/voice/callback', bytes);
    expect(answer.status).toBe(201);
    expect(voiceCalls[0]?.bytes.equals(bytes)).toBe(true);
  });
});
