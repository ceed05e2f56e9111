import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { clientAddress, createIntakeHandler, createOrderFormHandler } from '../../src/http/index.js';
import { recordingSubmit } from '../http/recording-submit.js';
import { type HttpAnswer, httpRequest } from './http-client.js';

/** The three routes a shop mounts, as Web handlers; each bridge test mounts them one line each. */
export interface Routes {
  /** At `POST /api/orders`: the browser's order form. */
  readonly orderForm: (request: Request) => Promise<Response>;
  /** At `POST /leads`: the server-to-server intake with the secret. */
  readonly intake: (request: Request) => Promise<Response>;
  /** At `POST /voice/callback`: the voice provider's signed callback. */
  readonly voice: (request: Request) => Promise<Response>;
}

export interface Served {
  readonly url: string;
  close(): Promise<void>;
}

export const SECRET = 'intake-secret-0123456789';

/** Serves an app whose `listen` is Node's (Express, Koa) on a free port of 127.0.0.1. */
export function listening(app: {
  listen(port: number, host: string, ready: () => void): Server;
}): Promise<Served> {
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

/**
 * One JSON POST (`{"a":1}` unless told) to `path` of an app being served, which is closed after:
 * the tests of a bridge beside the app's own body parser each send just one request.
 */
export async function postOnce(
  served: Promise<Served>,
  path: string,
  body = Buffer.from('{"a":1}'),
): Promise<HttpAnswer> {
  const server = await served;
  try {
    return await httpRequest(`${server.url}${path}`, {
      headers: { 'content-type': 'application/json' },
      body,
    });
  } finally {
    await server.close();
  }
}

/** Routes that record what reached them: the leads accepted, the voice callback's exact bytes. */
export function recordingRoutes() {
  const { submit, accepted: leads } = recordingSubmit();
  const voiceCalls: { bytes: Buffer; signature: string | null; url: string; ip: string | undefined }[] = [];
  const routes: Routes = {
    orderForm: createOrderFormHandler({ submit, fromServer: () => ({ site: 'tea.example' }) }),
    intake: createIntakeHandler({ submit, secret: SECRET }),
    voice: async (request) => {
      const bytes = Buffer.from(await request.arrayBuffer());
      voiceCalls.push({
        bytes,
        signature: request.headers.get('x-signature'),
        url: request.url,
        ip: clientAddress(request),
      });
      const headers = new Headers({ 'content-type': 'application/json; charset=utf-8', 'x-plan': 'p1' });
      headers.append('set-cookie', 'a=1; Path=/');
      headers.append('set-cookie', 'b=2; Path=/');
      return new Response(JSON.stringify({ received: bytes.length }), { status: 201, headers });
    },
  };
  return { routes, leads, voiceCalls };
}

const LEAD = { name: 'Анна', phone: '89161234567', partnerCode: 'EVIL', orderSum: 1 };
const json = (body: unknown) => Buffer.from(JSON.stringify(body));

/**
 * The contract every bridge keeps, over real HTTP on 127.0.0.1: the SDK's answers pass through
 * unchanged (202, 400, 413, 415, the headers), the body reaches the handler as the bytes that were
 * sent, and the client's address reaches the order form as the lead's IP.
 */
export function bridgeSuite(name: string, serve: (routes: Routes) => Promise<Served>): void {
  async function withServer(
    test: (server: Served, recorded: ReturnType<typeof recordingRoutes>) => Promise<void>,
  ): Promise<void> {
    const recorded = recordingRoutes();
    const server = await serve(recorded.routes);
    try {
      await test(server, recorded);
    } finally {
      await server.close();
    }
  }

  describe(`the ${name} bridge over HTTP`, () => {
    it('order form: 202 for JSON, the IP from the connection, the partner from the cookie, not the body', () =>
      withServer(async ({ url }, { leads }) => {
        const answer = await httpRequest(`${url}/api/orders`, {
          headers: { 'content-type': 'application/json', cookie: 'utm_source=PARTNER42' },
          body: json(LEAD),
        });
        expect(answer.status).toBe(202);
        expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(JSON.parse(answer.text)).toEqual({ leadId: 'L1', state: 'call.dialing' });
        expect(leads).toEqual([
          {
            name: 'Анна',
            phone: '89161234567',
            ip: '127.0.0.1',
            partnerCode: 'PARTNER42',
            utm: { source: 'PARTNER42' },
            site: 'tea.example',
          },
        ]);
      }));

    it('order form: 202 for a plain HTML form', () =>
      withServer(async ({ url }, { leads }) => {
        const answer = await httpRequest(`${url}/api/orders`, {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: Buffer.from(
            new URLSearchParams({ name: 'Анна', phone: '8916', partnerCode: 'EVIL' }).toString(),
          ),
        });
        expect(answer.status).toBe(202);
        expect(leads[0]).toMatchObject({ name: 'Анна', phone: '8916', ip: '127.0.0.1' });
        expect(leads[0]?.partnerCode).toBeUndefined();
      }));

    it('order form: 400 naming the field, 415 with Accept-Post', () =>
      withServer(async ({ url }) => {
        const bad = await httpRequest(`${url}/api/orders`, {
          headers: { 'content-type': 'application/json' },
          body: json({ name: 'Анна' }),
        });
        expect(bad.status).toBe(400);
        expect(JSON.parse(bad.text)).toEqual({
          error: 'invalid_lead',
          issues: [{ path: 'phone', message: 'Required' }],
        });
        const plain = await httpRequest(`${url}/api/orders`, {
          headers: { 'content-type': 'text/plain' },
          body: json(LEAD),
        });
        expect(plain.status).toBe(415);
        expect(plain.headers['accept-post']).toBe('application/json, application/x-www-form-urlencoded');
        // No type at all is the handler's 415 too, not the framework's own answer.
        const untyped = await httpRequest(`${url}/api/orders`, { body: json(LEAD) });
        expect(untyped.status).toBe(415);
        expect(untyped.headers['accept-post']).toBe('application/json, application/x-www-form-urlencoded');
      }));

    it('order form: 413 for a declared length over the limit, and for a chunked body past it', () =>
      withServer(async ({ url }, { leads }) => {
        const declared = await httpRequest(`${url}/api/orders`, {
          headers: { 'content-type': 'application/json' },
          body: Buffer.alloc(200 * 1024, 0x20),
        });
        expect(declared.status).toBe(413);
        expect(JSON.parse(declared.text)).toEqual({ error: 'too_large', maxBytes: 64 * 1024 });
        const chunked = await httpRequest(`${url}/api/orders`, {
          headers: { 'content-type': 'application/json' },
          body: Array.from({ length: 100 }, () => Buffer.alloc(1024, 0x20)),
        });
        expect(chunked.status).toBe(413);
        // And the next order still gets through.
        const next = await httpRequest(`${url}/api/orders`, {
          headers: { 'content-type': 'application/json' },
          body: json(LEAD),
        });
        expect(next.status).toBe(202);
        expect(leads).toHaveLength(1);
      }));

    it('server intake: 202 with the secret and the whole contract, 401 without, 415 for a form', () =>
      withServer(async ({ url }, { leads }) => {
        const headers = { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` };
        expect((await httpRequest(`${url}/leads`, { headers, body: json(LEAD) })).status).toBe(202);
        expect(leads[0]).toMatchObject({ partnerCode: 'EVIL', orderSum: 1 });
        const bare = await httpRequest(`${url}/leads`, {
          headers: { 'content-type': 'application/json' },
          body: json(LEAD),
        });
        expect(bare.status).toBe(401);
        const form = await httpRequest(`${url}/leads`, {
          headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
          body: Buffer.from('name=A&phone=8916'),
        });
        expect(form.status).toBe(415);
      }));

    it('voice callback: the exact bytes sent reach the handler, and its status, headers and cookies come back', () =>
      withServer(async ({ url }, { voiceCalls }) => {
        // Not UTF-8, whitespace and key order a re-serialised JSON would change: a signature
        // is checked over these bytes, so any change would fail it.
        const bytes = Buffer.concat([
          Buffer.from('{ "b":1,\r\n  "a" : "x" }'),
          Buffer.from([0xff, 0x00, 0xfe]),
        ]);
        const answer = await httpRequest(`${url}/voice/callback?attempt=1`, {
          headers: { 'content-type': 'application/json', 'x-signature': 'sig-1' },
          body: bytes,
        });
        expect(answer.status).toBe(201);
        expect(JSON.parse(answer.text)).toEqual({ received: bytes.length });
        expect(answer.headers['x-plan']).toBe('p1');
        expect(answer.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
        expect(voiceCalls).toHaveLength(1);
        expect(voiceCalls[0]?.bytes.equals(bytes)).toBe(true);
        expect(voiceCalls[0]?.signature).toBe('sig-1');
        expect(new URL(voiceCalls[0]?.url ?? '').pathname).toBe('/voice/callback');
        expect(new URL(voiceCalls[0]?.url ?? '').search).toBe('?attempt=1');
        expect(voiceCalls[0]?.ip).toBe('127.0.0.1');
      }));

    it('voice callback: a chunked body arrives whole, in order', () =>
      withServer(async ({ url }, { voiceCalls }) => {
        const chunks = Array.from({ length: 8 }, (_, i) => Buffer.alloc(1000, 0x30 + i));
        const answer = await httpRequest(`${url}/voice/callback`, {
          headers: { 'content-type': 'application/json' },
          body: chunks,
        });
        expect(answer.status).toBe(201);
        expect(voiceCalls[0]?.bytes.equals(Buffer.concat(chunks))).toBe(true);
      }));
  });
}
