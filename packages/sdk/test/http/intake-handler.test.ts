import { describe, expect, it } from 'vitest';
import { createIntakeHandler, type IntakeHandlerOptions, sameSecret } from '../../src/http/index.js';
import { recordingBody } from '../../src/testing/index.js';
import { recordingSubmit } from './recording-submit.js';

// The server-to-server intake route as a Web handler, with `submit` validating as the engine does
// (parseLead) and recording what it accepted. Issue 13: defects 7 (text), 8 (body limit, content
// types), 18 (the 413 before reading is pinned). Issue 14: points 7 (a secret is required) and 8
// (JSON only: a form is the browser's, order-form-handler.test.ts).

const LIMIT = 64 * 1024;
const SECRET = 'intake-secret-0123456789';

function intake(options: Partial<IntakeHandlerOptions> = {}) {
  const { submit, accepted, submits } = recordingSubmit();
  const handler = createIntakeHandler({ submit, secret: SECRET, ...options });
  return { handler, accepted, submits };
}

const post = (body: RequestInit['body'], headers: Record<string, string> = {}) =>
  new Request('http://shop.test/leads', {
    method: 'POST',
    body,
    headers: { authorization: `Bearer ${SECRET}`, ...headers },
  });

const json = (body: string, type = 'application/json') => post(body, { 'content-type': type });

/** A streamed body (no Content-Length unless given): how a chunked request reaches the handler. */
const streamed = (stream: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  new Request('http://shop.test/leads', {
    method: 'POST',
    body: stream,
    duplex: 'half',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}`, ...headers },
  } as RequestInit);

describe('the intake handler: text', () => {
  it('answers {"name":"\\ud800"} with 400 naming the field, and submits nothing', async () => {
    const { handler, accepted } = intake();
    const response = await handler(json('{"name":"\\ud800","phone":"89161234567"}'));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'invalid_lead',
      issues: [{ path: 'name', message: 'Not well-formed Unicode (a lone surrogate)' }],
    });
    expect(accepted).toEqual([]);
  });

  it('answers a control character with 400 naming the field and the code point', async () => {
    const { handler } = intake();
    const response = await handler(
      json(JSON.stringify({ name: 'Анна', phone: '89161234567', city: 'Ка\u0000зань' })),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'invalid_lead',
      issues: [{ path: 'city', message: 'Contains a control character (U+0000)' }],
    });
  });

  it('stores names in NFC', async () => {
    const { handler, accepted } = intake();
    const response = await handler(json(JSON.stringify({ name: 'Андреи\u0306', phone: '89161234567' })));
    expect(response.status).toBe(202);
    expect(accepted[0]?.name).toBe('Андр\u0435\u0439');
  });

  it('answers a body that is not UTF-8 with 400, rather than storing replacement characters', async () => {
    const { handler, submits } = intake();
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('{"name":"'),
      0xff,
      0xfe,
      ...new TextEncoder().encode('","phone":"1"}'),
    ]);
    const response = await handler(post(bytes, { 'content-type': 'application/json' }));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'invalid_lead',
      issues: [{ path: '', message: 'The body is not valid UTF-8' }],
    });
    expect(submits()).toBe(0);
  });
});

describe('the intake handler: content types', () => {
  const lead = JSON.stringify({ name: 'Анна', phone: '89161234567' });

  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset="UTF-8"'])(
    'accepts %s',
    async (type) => {
      const { handler, accepted } = intake();
      expect((await handler(json(lead, type))).status).toBe(202);
      expect(accepted).toHaveLength(1);
    },
  );

  it.each([
    ['text/plain (a cross-site form can post it without a CORS preflight)', 'text/plain'],
    ['text/plain; charset=UTF-8', 'text/plain;charset=UTF-8'],
    ['multipart/form-data', 'multipart/form-data; boundary=x'],
    ['application/json in another charset', 'application/json; charset=windows-1251'],
    ['application/jsonp', 'application/jsonp'],
    ['a plain HTML form (the browser route takes those)', 'application/x-www-form-urlencoded'],
  ])('refuses %s with 415, submitting nothing', async (_case, type) => {
    const { handler, submits } = intake();
    const response = await handler(json(lead, type));
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({ error: 'unsupported_media_type' });
    expect(response.headers.get('accept-post')).toBe('application/json');
    expect(submits()).toBe(0);
  });

  it('refuses a body with no content type with 415', async () => {
    const { handler, submits } = intake();
    const response = await handler(post(new TextEncoder().encode(lead)));
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({ error: 'unsupported_media_type' });
    expect(submits()).toBe(0);
  });
});

describe('the intake handler: the secret', () => {
  const lead = JSON.stringify({ name: 'Анна', phone: '89161234567', partnerCode: 'PARTNER42' });

  it.each([
    ['none', undefined],
    ['an empty one', ''],
    ['one a guess could find', 'short-secret'],
  ])('cannot be made with %s: it believes every field, so only a server may reach it', (_case, secret) => {
    expect(() => intake({ secret: secret as string })).toThrow(
      /createIntakeHandler: secret must be a string of at least 16 characters/,
    );
  });

  it('answers a missing or wrong secret with 401, submitting nothing', async () => {
    const { handler, submits } = intake();
    const bare = new Request('http://shop.test/leads', {
      method: 'POST',
      body: lead,
      headers: { 'content-type': 'application/json' },
    });
    expect((await handler(bare)).status).toBe(401);
    const wrong = post(lead, { 'content-type': 'application/json', authorization: `Bearer ${SECRET}x` });
    expect((await handler(wrong)).status).toBe(401);
    expect(submits()).toBe(0);
  });

  it('takes the whole contract with the secret, as Bearer or X-Prozvon-Secret', async () => {
    const { handler, accepted } = intake();
    expect((await handler(json(lead))).status).toBe(202);
    const viaHeader = new Request('http://shop.test/leads', {
      method: 'POST',
      body: lead,
      headers: { 'content-type': 'application/json', 'x-prozvon-secret': SECRET },
    });
    expect((await handler(viaHeader)).status).toBe(202);
    expect(accepted.map((one) => one.partnerCode)).toEqual(['PARTNER42', 'PARTNER42']);
  });
});

describe('the intake handler: a secret-checking function', () => {
  const lead = JSON.stringify({ name: 'Анна', phone: '89161234567' });
  const OLD = 'old-intake-secret-9876543210';
  const bare = (headers: Record<string, string>) =>
    new Request('http://shop.test/leads', {
      method: 'POST',
      body: lead,
      headers: { 'content-type': 'application/json', ...headers },
    });

  it('opens the route to whatever the function takes (two secrets during a rotation)', async () => {
    const seen: string[] = [];
    const { handler, accepted } = intake({
      secret: async (presented) => {
        seen.push(presented);
        return sameSecret(presented, SECRET) || sameSecret(presented, OLD);
      },
    });
    const bearer = (secret: string) => bare({ authorization: `Bearer ${secret}` });
    expect((await handler(bearer(SECRET))).status).toBe(202);
    expect((await handler(bearer(OLD))).status).toBe(202);
    expect((await handler(bare({ 'x-prozvon-secret': OLD }))).status).toBe(202);
    expect((await handler(bearer(`${OLD}x`))).status).toBe(401);
    expect(accepted).toHaveLength(3);
    expect(seen).toEqual([SECRET, OLD, OLD, `${OLD}x`]);
  });

  it('never asks the function about a request that carries no secret', async () => {
    let asked = 0;
    const { handler, submits } = intake({
      secret: () => {
        asked++;
        return true;
      },
    });
    expect((await handler(bare({}))).status).toBe(401);
    expect((await handler(bare({ authorization: 'Bearer ' }))).status).toBe(401);
    expect((await handler(bare({ 'x-prozvon-secret': '' }))).status).toBe(401);
    expect(asked).toBe(0);
    expect(submits()).toBe(0);
  });
});

describe('sameSecret', () => {
  it('is true for the same secret only, whatever the lengths', () => {
    expect(sameSecret(SECRET, SECRET)).toBe(true);
    expect(sameSecret(`${SECRET}x`, SECRET)).toBe(false);
    expect(sameSecret(SECRET.slice(1), SECRET)).toBe(false);
    expect(sameSecret('', SECRET)).toBe(false);
    expect(sameSecret('Ünïcödé-secret-0000', 'Ünïcödé-secret-0000')).toBe(true);
  });
});

describe('the intake handler: the body limit', () => {
  it('refuses a declared Content-Length over the limit with 413 without reading the body', async () => {
    const { handler, submits } = intake();
    const body = recordingBody({ chunkBytes: 1024, chunks: 200 });
    const response = await handler(streamed(body.stream, { 'content-length': String(200 * 1024) }));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: 'too_large', maxBytes: LIMIT });
    expect(body.pulledBytes).toBe(0);
    expect(submits()).toBe(0);
  });

  it('answers a declared Content-Length over the limit even when the body never ends', async () => {
    const { handler } = intake();
    const body = recordingBody({ chunkBytes: 1024, chunks: Number.POSITIVE_INFINITY });
    const response = await handler(streamed(body.stream, { 'content-length': String(10 * 1024 * 1024) }));
    expect(response.status).toBe(413);
    expect(body.pulledBytes).toBe(0);
  });

  it('refuses a chunked body over the limit having read no more than the limit and one chunk', async () => {
    const { handler, submits } = intake();
    const body = recordingBody({ chunkBytes: 1024, chunks: 1024 });
    const response = await handler(streamed(body.stream));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: 'too_large', maxBytes: LIMIT });
    expect(body.pulledBytes).toBeLessThanOrEqual(LIMIT + 1024);
    expect(body.cancelled).toBe(true);
    expect(submits()).toBe(0);
  });

  it('stops reading a chunked body that never ends', async () => {
    const { handler } = intake({ maxBodyBytes: 4096 });
    const body = recordingBody({ chunkBytes: 1000, chunks: Number.POSITIVE_INFINITY });
    const response = await handler(streamed(body.stream));
    expect(response.status).toBe(413);
    expect(body.pulledBytes).toBe(5000);
  });

  it('reads a chunked body under the limit whole', async () => {
    const { handler, accepted } = intake();
    const lead = new TextEncoder().encode(
      JSON.stringify({ name: 'Анна', phone: '89161234567', comment: 'x'.repeat(1500) }),
    );
    const chunks = [lead.slice(0, 7), lead.slice(7, 700), lead.slice(700)];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(next);
      },
    });
    expect((await handler(streamed(stream))).status).toBe(202);
    expect(accepted[0]?.comment).toHaveLength(1500);
  });

  it('takes a body of exactly the limit', async () => {
    const { handler } = intake({ maxBodyBytes: 100 });
    const lead = JSON.stringify({ name: 'Анна', phone: '89161234567' });
    const exact = lead.padEnd(100 - (Buffer.byteLength(lead) - lead.length), ' ');
    expect(Buffer.byteLength(exact)).toBe(100);
    expect((await handler(json(exact))).status).toBe(202);
    expect((await handler(json(`${exact} `))).status).toBe(413);
  });
});
