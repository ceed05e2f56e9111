import { recordingBody } from '@prozvon/sdk/testing';
import { describe, expect, it } from 'vitest';
import {
  type CallResultVerifier,
  createCallbackRouter,
  createCallPlanProvider,
  createCallResultVerifier,
  MemoryPendingCallStore,
} from '../../src/index.js';
import { CALLBACK_MAX_BODY_BYTES } from '../../src/server/web.js';
import { TEST_SECRET } from '../helpers/shop-server.js';
import { signedResult } from '../helpers/signed-result.js';

// Issue 13, defects 8 and 18: the voice callback route read a body whole (`request.text()`) before
// its signature was checked, so anyone could make the server hold a chunked body of any size. Both
// of the scenario's requests — a signed result and a plan request — stop at a limit, before the
// signature is checked or a plan looked up.

const LIMIT = CALLBACK_MAX_BODY_BYTES;

function route(maxBodyBytes?: number) {
  const calls = { verified: 0, planned: 0, delivered: 0 };
  const verifier = createCallResultVerifier({ secret: TEST_SECRET });
  const countingVerifier: CallResultVerifier = {
    verify(raw, headers) {
      calls.verified++;
      return verifier.verify(raw, headers);
    },
    markDelivered: (result) => verifier.markDelivered(result),
  };
  const planFor = createCallPlanProvider({
    secret: TEST_SECRET,
    store: new MemoryPendingCallStore(),
    callbackUrl: 'https://shop.example/voice',
    message: { kind: 'url', url: 'https://shop.example/order-accepted.mp3' },
  });
  const router = createCallbackRouter({
    verifier: countingVerifier,
    planFor: async (callId) => {
      calls.planned++;
      return planFor(callId);
    },
    ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
  });
  const handle = (request: Request) =>
    router(request, async () => {
      calls.delivered++;
      return { outcome: 'unknown_lead' };
    });
  return { handle, calls };
}

/** A streamed POST to the route: chunked unless `headers` declares a Content-Length. */
const streamed = (stream: ReadableStream<Uint8Array>, headers: Headers | Record<string, string> = {}) =>
  new Request('https://shop.example/voice', {
    method: 'POST',
    body: stream,
    headers,
    duplex: 'half',
  } as RequestInit);

/** The headers of a well-signed result: the route takes the request for a result, not a plan. */
const resultHeaders = (extra: Record<string, string> = {}) => {
  const headers = new Headers(signedResult().headers);
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return headers;
};

describe('the voice callback route: a signed result', () => {
  it('refuses a declared Content-Length over the limit with 413 without reading the body', async () => {
    const { handle, calls } = route();
    const body = recordingBody({ chunkBytes: 1024, chunks: 200 });
    const response = await handle(
      streamed(body.stream, resultHeaders({ 'content-length': String(200 * 1024) })),
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: 'too_large', maxBytes: LIMIT });
    expect(body.pulledBytes).toBe(0);
    expect(calls).toEqual({ verified: 0, planned: 0, delivered: 0 });
  });

  it('answers a declared Content-Length over the limit even when the body never ends', async () => {
    const { handle } = route();
    const body = recordingBody({ chunkBytes: 1024, chunks: Number.POSITIVE_INFINITY });
    const response = await handle(streamed(body.stream, resultHeaders({ 'content-length': '10000000' })));
    expect(response.status).toBe(413);
    expect(body.pulledBytes).toBe(0);
  });

  it('refuses a chunked body over the limit before the signature is checked, having read at most the limit and one chunk', async () => {
    const { handle, calls } = route();
    const body = recordingBody({ chunkBytes: 1024, chunks: 1024 });
    const response = await handle(streamed(body.stream, resultHeaders()));
    expect(response.status).toBe(413);
    expect(body.pulledBytes).toBeLessThanOrEqual(LIMIT + 1024);
    expect(body.cancelled).toBe(true);
    expect(calls).toEqual({ verified: 0, planned: 0, delivered: 0 });
  });

  it('still takes a good result sent in chunks without a Content-Length, byte for byte', async () => {
    const { handle, calls } = route();
    const { raw, headers } = signedResult();
    const bytes = new TextEncoder().encode(raw);
    const chunks = [bytes.slice(0, 5), bytes.slice(5, 100), bytes.slice(100)];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(next);
      },
    });
    const response = await handle(streamed(stream, headers));
    expect(response.status).toBe(200);
    expect(calls).toEqual({ verified: 1, planned: 0, delivered: 1 });
  });
});

describe('the voice callback route: a plan request', () => {
  it('refuses a declared Content-Length over the limit with 413 without reading the body', async () => {
    const { handle, calls } = route();
    const body = recordingBody({ chunkBytes: 1024, chunks: 200 });
    const response = await handle(streamed(body.stream, { 'content-length': String(200 * 1024) }));
    expect(response.status).toBe(413);
    expect(body.pulledBytes).toBe(0);
    expect(calls).toEqual({ verified: 0, planned: 0, delivered: 0 });
  });

  it('refuses a chunked body over the limit having read at most the limit and one chunk', async () => {
    const { handle, calls } = route();
    const body = recordingBody({ chunkBytes: 1024, chunks: 1024 });
    const response = await handle(streamed(body.stream));
    expect(response.status).toBe(413);
    expect(body.pulledBytes).toBeLessThanOrEqual(LIMIT + 1024);
    expect(body.cancelled).toBe(true);
    expect(calls.planned).toBe(0);
  });

  it('takes the limit from the callbacks, and stops a body that never ends', async () => {
    const { handle } = route(2048);
    const body = recordingBody({ chunkBytes: 1000, chunks: Number.POSITIVE_INFINITY });
    const response = await handle(streamed(body.stream));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: 'too_large', maxBytes: 2048 });
    expect(body.pulledBytes).toBe(3000);
  });
});
