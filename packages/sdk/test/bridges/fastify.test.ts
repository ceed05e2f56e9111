import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { fastifyRoute, toFastify } from '../../src/bridges/fastify.js';
import { bridgeSuite, postOnce, type Routes, recordingRoutes, type Served } from './bridge-suite.js';

// Issue 14, point 6: `@prozvon/sdk/fastify`, one line per route.

async function serve(app: ReturnType<typeof Fastify>): Promise<Served> {
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: () => app.close() };
}

bridgeSuite('Fastify', (routes: Routes) => {
  const app = Fastify();
  app.register(fastifyRoute('POST', '/api/orders', routes.orderForm));
  app.register(fastifyRoute('POST', '/leads', routes.intake));
  app.register(fastifyRoute('POST', '/voice/callback', routes.voice));
  return serve(app);
});

describe('the Fastify bridge beside the rest of the app', () => {
  it("leaves the app's own JSON parser to its other routes", async () => {
    const app = Fastify();
    app.register(fastifyRoute('POST', '/voice/callback', recordingRoutes().routes.voice));
    app.post('/other', async (request) => ({ parsed: request.body }));
    const answer = await postOnce(serve(app), '/other');
    expect(JSON.parse(answer.text)).toEqual({ parsed: { a: 1 } });
  });

  it("answers with an error naming the problem when toFastify sits behind Fastify's JSON parser", async () => {
    const app = Fastify();
    app.post('/voice/callback', toFastify(recordingRoutes().routes.voice));
    const answer = await postOnce(serve(app), '/voice/callback');
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.text).message).toMatch(
      /^@prozvon\/sdk\/fastify: the request body was already read/,
    );
  });
});
