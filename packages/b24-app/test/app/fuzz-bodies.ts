import { request as httpRequest } from 'node:http';
import fc from 'fast-check';

/** One fuzzed request: its content type (none when undefined), body, and extra headers. */
export interface FuzzRequest {
  readonly contentType: string | undefined;
  readonly body: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
}

/** What a fuzzed body may mention, so bodies reach past the first `safeParse` now and then. */
export interface FuzzHints {
  /** Member ids (a real one, unknown ones), event names, tokens: values a body may carry. */
  readonly values: readonly string[];
}

const FORM = 'application/x-www-form-urlencoded';
const utf8 = new TextEncoder();

const CONTENT_TYPES = fc.oneof(
  { weight: 4, arbitrary: fc.constant(FORM) },
  { weight: 3, arbitrary: fc.constant('application/json') },
  {
    weight: 2,
    arbitrary: fc.constantFrom<string | undefined>(
      undefined,
      '',
      'text/plain',
      'application/json; charset=utf-8',
      `${FORM}; charset=UTF-8`,
      `${FORM}; charset=utf-16`,
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      'APPLICATION/X-WWW-FORM-URLENCODED',
      ';;;',
      'application/json;;charset',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }).filter((s) => /^[\t\x20-\x7e]*$/.test(s)) },
);

/** Field names Bitrix24's posts, the intake and Corezoid bodies use, and strangers'. */
const NAMES = [
  'event',
  'data',
  'auth',
  'member_id',
  'application_token',
  'domain',
  'FIELDS',
  'ID',
  'CLEAN',
  'PHONE_NUMBER',
  'CRM_ENTITY_TYPE',
  'CRM_ENTITY_ID',
  'AUTH_ID',
  'REFRESH_ID',
  'SERVER_ENDPOINT',
  'APPLICATION_TOKEN',
  'PLACEMENT',
  'PLACEMENT_OPTIONS',
  'ops',
  'name',
  'phone',
  'ref',
  '__proto__',
  'constructor',
  'prototype',
  '0',
  '',
];

function scalar(hints: FuzzHints) {
  return fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom(...hints.values, 'ONAPPUNINSTALL', 'ONCRMLEADADD', 'ONEXTERNALCALLBACKSTART', 'LEAD'),
    fc.integer().map(String),
    fc.string({ unit: 'binary', maxLength: 20 }),
  );
}

/** `a[b][c]=v` with PHP bracket nesting, names and values percent-encoded or (sometimes) raw. */
function phpForm(hints: FuzzHints) {
  const segment = fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 12 }));
  const key = fc
    .tuple(segment, fc.array(fc.oneof(segment, fc.constant('')), { maxLength: 6 }))
    .map(([head, rest]) => `${head}${rest.map((part) => `[${part}]`).join('')}`);
  const encode = (text: string, raw: boolean) =>
    raw ? text : encodeURIComponent(text).replace(/%5B|%5D/g, (c) => (c === '%5B' ? '[' : ']'));
  const pair = fc
    .tuple(key, scalar(hints), fc.boolean())
    .map(([name, value, raw]) => `${encode(name, raw)}=${encode(value, raw)}`);
  return fc.array(pair, { maxLength: 12 }).map((pairs) => pairs.join('&'));
}

/** Deep PHP brackets: `a[b][b]…[b]=1`, far past any depth limit. */
const deepBrackets = fc
  .tuple(fc.constantFrom('a', 'auth', 'data', 'event'), fc.integer({ min: 6, max: 20_000 }))
  .map(([head, depth]) => `${head}${'[b]'.repeat(depth)}=1`);

/** Deep JSON arrays / objects: `[[[[…]]]]`. */
const deepJson = fc
  .tuple(fc.integer({ min: 10, max: 20_000 }), fc.boolean())
  .map(([depth, object]) =>
    object ? `${'{"ops":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}${']'.repeat(depth)}`,
  );

/** Bodies past every route's limit (64 KiB forms and leads, 16 KiB voice results). */
const huge = fc
  .tuple(fc.integer({ min: 17_000, max: 300_000 }), fc.constantFrom('a', 'event=', '{"ops":[', '%', '[b]'))
  .map(([size, unit]) => unit.repeat(Math.ceil(size / unit.length)));

/** Bytes that are not UTF-8, raw and percent-encoded. */
const invalidUtf8 = fc.oneof(
  fc.constantFrom(
    Uint8Array.of(0xff, 0xfe, 0xfd),
    Uint8Array.of(0xc3, 0x28),
    Uint8Array.of(0x65, 0x76, 0x65, 0x6e, 0x74, 0x3d, 0xe2, 0x28, 0xa1),
    Uint8Array.of(0xed, 0xa0, 0x80),
    Uint8Array.of(0xf8, 0x88, 0x80, 0x80, 0x80),
  ),
  fc
    .constantFrom('event=%FF%FE', 'auth[member_id]=%E0%A4%A', 'a=%', '%%%', '{"ops":"\\ud800"}')
    .map((text) => utf8.encode(text)),
);

function jsonBody(hints: FuzzHints) {
  const leadish = fc.record(
    {
      name: scalar(hints),
      phone: fc.oneof(scalar(hints), fc.constantFrom('+79160000001', '89160000001', '')),
      ref: fc.oneof(scalar(hints), fc.integer()),
      comment: fc.anything(),
    },
    { requiredKeys: [] },
  );
  const ops = fc.record({
    ops: fc.array(
      fc.oneof(
        fc.record(
          {
            type: fc.constantFrom('create', 'modify', ''),
            obj: fc.constantFrom('task', 'x'),
            ref: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
            data: fc.oneof(
              fc.record({ post: leadish, server: fc.object(), cookies: fc.object() }),
              fc.anything(),
            ),
          },
          { requiredKeys: [] },
        ),
        fc.anything(),
      ),
      { maxLength: 25 },
    ),
  });
  return fc.oneof(
    fc.json(),
    leadish.map((value) => JSON.stringify(value)),
    ops.map((value) => JSON.stringify(value)),
  );
}

/** Any body of the kinds the brief names: form, JSON, garbage bytes, huge, deep brackets, invalid UTF-8. */
export function fuzzBody(hints: FuzzHints): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { weight: 5, arbitrary: phpForm(hints).map((text) => utf8.encode(text)) },
    { weight: 4, arbitrary: jsonBody(hints).map((text) => utf8.encode(text)) },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 300 }) },
    { weight: 1, arbitrary: huge.map((text) => utf8.encode(text)) },
    { weight: 1, arbitrary: deepBrackets.map((text) => utf8.encode(text)) },
    { weight: 1, arbitrary: deepJson.map((text) => utf8.encode(text)) },
    { weight: 1, arbitrary: invalidUtf8 },
  );
}

/** Headers a stranger may add: secrets (wrong ones), the voice result's signature headers, an Origin. */
function fuzzHeaders(hints: FuzzHints): fc.Arbitrary<Record<string, string>> {
  const value = fc.oneof(scalar(hints), fc.constantFrom(`v1=${'0'.repeat(64)}`, 'Bearer x', '1700000000'));
  const headerValue = value.map((text) => text.replace(/[^\t\x20-\x7e]/g, '').trim());
  return fc.record(
    {
      authorization: headerValue.map((text) => `Bearer ${text}`),
      'x-prozvon-secret': headerValue,
      'x-prozvon-call': headerValue,
      'x-prozvon-timestamp': fc.oneof(headerValue, fc.integer({ min: 0, max: 2_000_000_000 }).map(String)),
      'x-prozvon-signature': headerValue,
      origin: fc.constantFrom('https://shop.example', 'null', 'http://127.0.0.1'),
    },
    { requiredKeys: [] },
  );
}

/**
 * Fuzzed requests; `shaped` adds requests built like the route's real ones (every field it
 * requires, random values), so the fuzz also reaches the credential checks behind the parsing.
 */
export function fuzzRequest(
  hints: FuzzHints,
  shaped: readonly fc.Arbitrary<FuzzRequest>[] = [],
): fc.Arbitrary<FuzzRequest> {
  const any = fc.record({ contentType: CONTENT_TYPES, body: fuzzBody(hints), headers: fuzzHeaders(hints) });
  return shaped.length === 0 ? any : fc.oneof(any, ...shaped);
}

/** A form with these fields, each a hint value or a random string, plus a few random ones. */
export function shapedForm(hints: FuzzHints, fields: readonly string[]): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(
      fc.tuple(...fields.map(() => scalar(hints))),
      fc.array(fc.tuple(fc.string({ maxLength: 10 }), scalar(hints)), { maxLength: 3 }),
    )
    .map(([values, extra]) => {
      const form = new URLSearchParams();
      for (const [i, field] of fields.entries()) form.set(field, values[i] ?? '');
      for (const [name, value] of extra) form.append(name, value);
      return { contentType: FORM, body: utf8.encode(form.toString()), headers: {} };
    });
}

const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });

/** A voice result as the scenario posts it, signed with a key nobody was given. */
export function shapedVoiceResult(hints: FuzzHints): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      callId: fc.oneof(fc.string({ minLength: 16, maxLength: 64 }), hex(32)),
      leadId: scalar(hints),
      key: scalar(hints),
      attempt: fc.integer({ min: -1, max: 5 }),
      outcome: fc.constantFrom('answered', 'machine', 'nodial', 'x'),
      signature: fc.oneof(hex(64), fc.string()),
      timestamp: fc.integer({ min: 1_600_000_000, max: 2_000_000_000 }),
    })
    .map((result) => {
      const body = JSON.stringify({
        v: 1,
        callId: result.callId,
        leadId: result.leadId,
        key: result.key,
        attempt: result.attempt,
        outcome: result.outcome,
        amd: null,
        durationSec: 3,
        failureCode: null,
        failureReason: null,
        sessionId: null,
        t: { started: 0, ringing: null, connected: null, amd: null, ended: 1 },
      });
      return {
        contentType: 'application/json',
        body: utf8.encode(body),
        headers: {
          'x-prozvon-call': result.callId.replace(/[^\t\x20-\x7e]/g, ''),
          'x-prozvon-timestamp': String(Math.floor(Date.now() / 1000)),
          'x-prozvon-signature': `v1=${result.signature.replace(/[^\t\x20-\x7e]/g, '')}`,
        },
      };
    });
}

/** A path segment: a known key, a random one (encoded), or one that does not percent-decode. */
export function fuzzPathKey(known: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known) },
    {
      weight: 2,
      arbitrary: fc.string({ minLength: 1, maxLength: 40 }).map((text) => encodeURIComponent(text)),
    },
    { weight: 1, arbitrary: fc.constantFrom('%E0%A4%A', '%', '%zz', '%C0%AF', '..', '%2F', '%00', 'a%2Fb') },
  );
}

/**
 * One request on its own connection (no keep-alive: a route that answers a huge body early and
 * closes must not fail the next request on a reused socket); the answer's status. Write errors
 * after the answer (the server refused the rest of a huge body) are expected.
 */
export function sendRaw(base: string, method: string, path: string, request: FuzzRequest): Promise<number> {
  const headers: Record<string, string | number> = {
    ...request.headers,
    'content-length': request.body.byteLength,
  };
  if (request.contentType !== undefined) headers['content-type'] = request.contentType;
  return new Promise((resolve, reject) => {
    let answered = false;
    const outgoing = httpRequest(`${base}${path}`, { method, headers, agent: false }, (response) => {
      answered = true;
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', () => resolve(response.statusCode ?? 0));
    });
    outgoing.on('error', (error) => {
      if (!answered) reject(error);
    });
    outgoing.end(request.body);
  });
}
