import type { AnyHandler } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** An msw server for one test file; a request no handler expects fails the test. */
export function useMsw(...handlers: AnyHandler[]) {
  const server = setupServer(...handlers);
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** What a handler saw of one request, for asserting on the wire format. */
export interface Seen {
  url: string;
  method: string;
  headers: Headers;
  form: URLSearchParams;
}

export async function see(request: Request): Promise<Seen> {
  return {
    url: request.url,
    method: request.method,
    headers: request.headers,
    form: new URLSearchParams(await request.text()),
  };
}

/** Awaits a rejection and returns the error, so a test can check its class and fields. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error('expected a rejection, but it resolved');
}
