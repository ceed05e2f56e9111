import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProzvon, type Prozvon, silentLogger } from '@prozvon/sdk';
import { SqliteLeadStore } from '@prozvon/sdk/stores/sqlite';
import {
  RecordingCrm,
  RecordingNotifier,
  RecordingSms,
  RecordingVoice,
  SimulatedClock,
} from '@prozvon/sdk/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createShopApp, type Locate } from '../src/index.js';
import { serve } from './helpers/serve.js';

// 1,000 hostile requests to the order route over HTTP: bodies of any JSON shape and of no shape,
// fields of the wrong type, size and content, odd cookies and forwarded IPs. Whatever comes in,
// the answer is a 2xx or a 4xx, never a 5xx: the backend's enrichment and the SDK's intake both
// hold. The SDK runs on SQLite; its ports are doubles (the adapters are the e2e tests' business).

let prozvon: Prozvon;
let store: SqliteLeadStore;
let shop: { url: string; close(): Promise<void> };
let dir: string;
const locate: Locate = async (ip) =>
  ip.startsWith('198.51.100.') ? { city: 'Казань', timezone: 'Europe/Moscow' } : null;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prozvon-fuzz-'));
  store = new SqliteLeadStore(join(dir, 'shop.db'));
  prozvon = createProzvon({
    store,
    crm: new RecordingCrm(),
    voice: new RecordingVoice(),
    sms: new RecordingSms(),
    notifier: new RecordingNotifier(),
    clock: new SimulatedClock(Date.parse('2026-11-25T08:00:00Z')),
    logger: silentLogger(),
  });
  await prozvon.start();
  shop = await serve(createShopApp({ prozvon, locate, trustProxy: 'loopback' }));
});
afterAll(async () => {
  await prozvon.stop();
  await shop.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '<b>x</b>', '8 916 000-00-01', '+7 916 000-00-01-99', 'x'.repeat(5000)),
);
const value = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.anything());
const field = (known: fc.Arbitrary<unknown>) => fc.option(fc.oneof(known, value), { nil: undefined });
const formBody = fc.record(
  {
    name: field(text),
    phone: field(fc.constantFrom('+79160000001', '8 (916) 123-45-67', '9161234567', '12', '+1 202 555 0100')),
    comment: field(text),
    timezone: field(fc.constantFrom('Europe/Moscow', 'Asia/Yekaterinburg', 'Mars/Olympus', 'UTC', '')),
    ref: field(text),
    city: field(text),
    // What the browser may not set, sent anyway.
    partnerCode: field(text),
    ip: field(text),
    orderSum: field(fc.double()),
    items: field(fc.array(fc.anything(), { maxLength: 3 })),
    utm: field(fc.anything()),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  { weight: 6, arbitrary: formBody.map((b) => JSON.stringify(b)) },
  { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', '{', 'null', '[]', '"x"', '{"name":"a","phone":"+79160000001"}x'),
  },
);
const cookie = fc.option(
  fc.oneof(
    fc.string({ maxLength: 300 }).map((v) => `utm_source=${v}`),
    fc.constantFrom('utm_source=%E0%A4%A', 'utm_source=PARTNER42; utm_medium=', 'utm_source', '=;;='),
  ),
  { nil: undefined },
);
const forwarded = fc.option(
  fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 60 }), fc.constant('198.51.100.7, 10.0.0.1')),
  { nil: undefined },
);
// JSON, a plain HTML form, and what the intake refuses with 415 (a cross-site text/plain post, none).
const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8') },
  { weight: 2, arbitrary: fc.constant('application/x-www-form-urlencoded') },
  { weight: 2, arbitrary: fc.constantFrom('text/plain', '') },
);
/** The same fields as a form posts them: every value a string. */
const formEncoded = formBody.map((fields) => {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields))
    if (value !== undefined)
      form.append(name, typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
  return form.toString();
});

it('1,000 fuzzed requests to POST /api/orders: never a 5xx', async () => {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(
      body,
      fc.option(formEncoded, { nil: undefined }),
      cookie,
      forwarded,
      contentType,
      async (payload, formPayload, jar, xff, type) => {
        const headers: Record<string, string> = {};
        if (type) headers['content-type'] = type;
        // Header values must be ByteStrings: what a client could not send is not a case.
        if (jar !== undefined && /^[\x20-\x7e]*$/.test(jar)) headers.cookie = jar;
        if (xff !== undefined && /^[\x20-\x7e]*$/.test(xff)) headers['x-forwarded-for'] = xff;
        const form = type === 'application/x-www-form-urlencoded';
        const response = await fetch(`${shop.url}/api/orders`, {
          method: 'POST',
          headers,
          body: form && formPayload !== undefined ? formPayload : payload,
        });
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status).toBeLessThan(500);
      },
    ),
    { numRuns: 1_000 },
  );
  // The generator reaches both sides of the contract, not only one of them.
  expect(statuses.get(202) ?? 0).toBeGreaterThan(20);
  expect(statuses.get(400) ?? 0).toBeGreaterThan(100);
  expect(statuses.get(415) ?? 0).toBeGreaterThan(50);
}, 120_000);
