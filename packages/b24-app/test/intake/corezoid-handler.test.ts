import { EngineStoppedError, RateLimitedLeadError } from '@prozvon/sdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CorezoidHandlerOptions,
  type CorezoidOpAnswer,
  createCorezoidHandler,
} from '../../src/index.js';
import { fakeEngine, SEED_POST, SEED_SERVER, seedBody, seedOp } from './seed-payload.js';

// The drop-in for the seed's Corezoid URL, fed the seed's PHP body exactly as its
// `curl … --data '<json>' --compressed` sends it.

const PORTAL_KEY = 'pk_3f9aQ2';
const SECRET = 'e4203ff8f55f17595a46549d35dbd00d51d0879d';
const URL_OK = `https://app.prozvon.test/api/1/json/public/${PORTAL_KEY}/${SECRET}`;
const FORM = 'application/x-www-form-urlencoded';

function dropIn(options: Partial<CorezoidHandlerOptions> = {}) {
  const engine = fakeEngine();
  const checks: string[] = [];
  const handler = createCorezoidHandler({
    checkSecret: async (portalKey, secret) => {
      checks.push(`${portalKey}/${secret}`);
      return portalKey === PORTAL_KEY && secret === SECRET ? 'portal-1' : null;
    },
    submit: engine.submit,
    ...options,
  });
  return { handler, engine, checks };
}

interface Answer {
  readonly request_proc: string;
  readonly ops: CorezoidOpAnswer[];
  readonly description?: string;
}

const answerOf = async (response: Response) => (await response.json()) as Answer;

/** What curl's `--data` sends: the JSON as it is, labelled a form. */
function curl(
  body: RequestInit['body'],
  { url = URL_OK, type = FORM }: { url?: string; type?: string | null } = {},
) {
  const headers: Record<string, string> = { accept: 'application/json, text/javascript, */*; q=0.01' };
  if (type !== null) headers['content-type'] = type;
  return new Request(url, { method: 'POST', body, headers });
}

describe('the Corezoid drop-in: the seed body', () => {
  it('takes the PHP template body under curl’s form type and answers as Corezoid does', async () => {
    const { handler, engine } = dropIn();
    const body = seedBody();
    // As PHP writes it: escaped slashes and \u escapes, numbers left numbers.
    expect(body).toContain('"HTTP_REFERER":"https:\\/\\/watches.example\\/catalog');
    expect(body).toContain('"name":"\\u0410\\u043d\\u043d\\u0430');
    expect(body).toContain('"REQUEST_TIME_FLOAT":1489151417.2831,"REQUEST_TIME":1489151417}');

    const response = await handler(curl(body));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await answerOf(response)).toEqual({
      request_proc: 'ok',
      ops: [{ id: '', proc: 'ok', obj: 'task', ref: '203.0.113.7', obj_id: 'lead-1' }],
    });
    expect(engine.accepted).toEqual([
      {
        tenantId: 'portal-1',
        lead: {
          name: 'Анна Петрова',
          phone: '8 (916) 123-45-67',
          ip: '203.0.113.7',
          site: 'watches.example',
          partnerCode: 'PARTNER42',
          utm: { source: 'PARTNER42', medium: 'cpa' },
          ref: '203.0.113.7',
        },
      },
    ]);
  });

  it('takes the same body as application/json', async () => {
    const { handler, engine } = dropIn();
    const response = await handler(curl(seedBody(), { type: 'application/json; charset=utf-8' }));
    expect(response.status).toBe(200);
    expect(engine.accepted).toHaveLength(1);
  });

  it('reads PHP’s empty arrays ([] for no cookies) and numeric refs, and the common field names', async () => {
    const { handler, engine } = dropIn();
    const op = seedOp({
      ref: 1489151417,
      cookies: [],
      post: {
        fio: 'Иван',
        tel: '+7 916 000-00-00',
        message: 'после 18:00',
        utm_source: 'FORM7',
        city: 'Пермь',
      },
      server: { ...SEED_SERVER, HTTP_REFERER: undefined },
    });
    const answer = await answerOf(await handler(curl(seedBody(op))));
    expect(answer.ops[0]).toMatchObject({ proc: 'ok', ref: 1489151417 });
    expect(engine.accepted[0]?.lead).toEqual({
      name: 'Иван',
      phone: '+7 916 000-00-00',
      comment: 'после 18:00',
      city: 'Пермь',
      ip: '203.0.113.7',
      site: 'watches.example',
      partnerCode: 'FORM7',
      utm: { source: 'FORM7' },
      ref: '1489151417',
    });
  });

  it('drops an optional field that fails its rule rather than the lead', async () => {
    const { handler, engine } = dropIn();
    const op = seedOp({
      post: { ...SEED_POST, timezone: 'Mars/Olympus', orderSum: 'lots' },
      server: { ...SEED_SERVER, REMOTE_ADDR: 'not-an-ip' },
    });
    const answer = await answerOf(await handler(curl(seedBody(op))));
    expect(answer.ops[0]?.proc).toBe('ok');
    const lead = engine.accepted[0]?.lead;
    expect(lead?.timezone).toBeUndefined();
    expect(lead?.orderSum).toBeUndefined();
    expect(lead?.ip).toBeUndefined();
  });
});

describe('the Corezoid drop-in: refusals per op', () => {
  it('answers a ref still in progress not_unical_ref, and the same lead again as the first', async () => {
    const { handler, engine } = dropIn();
    expect((await answerOf(await handler(curl(seedBody())))).ops[0]?.proc).toBe('ok');
    const again = await answerOf(await handler(curl(seedBody())));
    expect(again.ops[0]).toEqual({ id: '', proc: 'ok', obj: 'task', ref: '203.0.113.7', obj_id: 'lead-1' });

    const other = seedOp({ post: { name: 'Пётр', phone: '89160000000' } });
    const response = await handler(curl(seedBody(other)));
    expect(response.status).toBe(200);
    expect(await answerOf(response)).toEqual({
      request_proc: 'ok',
      ops: [
        {
          id: '',
          proc: 'not_unical_ref',
          obj: 'task',
          ref: '203.0.113.7',
          obj_id: 'lead-1',
          description: 'not unical reference',
        },
      ],
    });
    expect(engine.accepted).toHaveLength(1);
  });

  it.each([
    ['blank', { name: 'Анна', phone: '   ' }, 'Param: phone, Error: Required'],
    ['missing', { name: 'Анна' }, 'Param: phone, Error: Required'],
    ['too long', { name: 'Анна', phone: '9'.repeat(65) }, 'Param: phone, Error: At most 64 characters'],
    [
      'with a control character',
      { name: 'Анна', phone: '8916\u0000' },
      'Param: phone, Error: Contains a control',
    ],
  ])('refuses a %s phone as wrong_validate_params, storing nothing', async (_case, post, words) => {
    const { handler, engine } = dropIn();
    const response = await handler(curl(seedBody(seedOp({ post }))));
    expect(response.status).toBe(200);
    const [op] = (await answerOf(response)).ops;
    expect(op).toMatchObject({ id: '', proc: 'wrong_validate_params', obj: 'task', ref: '203.0.113.7' });
    expect(op?.description).toContain(words);
    expect(op?.obj_id).toBeUndefined();
    expect(engine.accepted).toHaveLength(0);
  });

  it('answers several ops each, in order, echoing their ids', async () => {
    const { handler, engine } = dropIn();
    const body = seedBody(
      seedOp({ id: '1a', ref: 'r1' }),
      seedOp({ id: '2b', ref: 'r2', post: { name: 'Пётр' } }),
      { id: '3c', ref: 'r3', type: 'modify', obj: 'task', data: {} },
      'not an op',
      seedOp({ id: 5, ref: 'r1', post: { name: 'Другой', phone: '89160000001' } }),
      seedOp({ id: '6f', ref: null, post: { name: 'Без ref', phone: '89160000002' } }),
    );
    const answer = await answerOf(await handler(curl(body)));
    expect(answer.request_proc).toBe('ok');
    expect(answer.ops.map((op: { id: unknown; proc: string }) => [op.id, op.proc])).toEqual([
      ['1a', 'ok'],
      ['2b', 'wrong_validate_params'],
      ['3c', 'error'],
      ['', 'error'],
      [5, 'not_unical_ref'],
      ['6f', 'ok'],
    ]);
    expect(answer.ops[5]).toEqual({ id: '6f', proc: 'ok', obj: 'task', ref: null, obj_id: 'lead-2' });
    expect(engine.accepted.map(({ lead }) => lead.ref)).toEqual(['r1', undefined]);
  });

  it('answers an abuse refusal per op with Retry-After, still 200', async () => {
    const { handler, engine } = dropIn();
    engine.refuseNext(new RateLimitedLeadError('phone_hour', 1200));
    const response = await handler(curl(seedBody()));
    expect(response.status).toBe(200);
    expect(response.headers.get('retry-after')).toBe('1200');
    expect((await answerOf(response)).ops[0]).toMatchObject({
      proc: 'error',
      description: 'too many requests',
    });
  });

  it('answers 503 with Retry-After when an op could not be decided (the engine stopping)', async () => {
    const errors: unknown[] = [];
    const { handler, engine } = dropIn({ onError: (error) => errors.push(error) });
    engine.refuseNext(new EngineStoppedError());
    const response = await handler(curl(seedBody()));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect((await answerOf(response)).ops[0]).toMatchObject({ proc: 'error', ref: '203.0.113.7' });
    expect(errors).toHaveLength(1);
  });
});

describe('the Corezoid drop-in: the package', () => {
  it('answers a wrong secret or portal 401 access_denied, reading and storing nothing', async () => {
    const { handler, engine } = dropIn();
    for (const url of [
      `https://app.prozvon.test/api/1/json/public/${PORTAL_KEY}/${SECRET}0`,
      `https://app.prozvon.test/api/1/json/public/other/${SECRET}`,
      'https://app.prozvon.test/api/1/json/public/only-one-part',
    ]) {
      let pulled = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled++;
          controller.enqueue(new TextEncoder().encode(seedBody()));
          controller.close();
        },
      });
      const response = await handler(
        new Request(url, {
          method: 'POST',
          body,
          duplex: 'half',
          headers: { 'content-type': FORM },
        } as RequestInit),
      );
      expect(response.status).toBe(401);
      expect(await answerOf(response)).toEqual({
        request_proc: 'access_denied',
        ops: [],
        description: 'wrong URL or secret',
      });
      expect(pulled).toBeLessThanOrEqual(1);
    }
    expect(engine.accepted).toHaveLength(0);
  });

  it('answers 503 when the portal cannot be looked up, reading nothing', async () => {
    const errors: unknown[] = [];
    const { handler, engine } = dropIn({
      checkSecret: async () => {
        throw new Error('database is locked');
      },
      onError: (error) => errors.push(error),
    });
    const response = await handler(curl(seedBody()));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(errors).toHaveLength(1);
    expect(engine.accepted).toHaveLength(0);
  });

  it('refuses a body over the limit with 413, storing nothing', async () => {
    const { handler, engine } = dropIn({ maxBodyBytes: 4096 });
    const big = seedBody(seedOp({ post: { ...SEED_POST, comment: 'x'.repeat(5000) } }));
    const response = await handler(curl(big));
    expect(response.status).toBe(413);
    expect((await answerOf(response)).request_proc).toBe('format_error');
    expect(engine.accepted).toHaveLength(0);
    // The SDK's default limit takes the seed body with room to spare.
    expect((await dropIn().handler(curl(seedBody()))).status).toBe(200);
  });

  it.each([['multipart/form-data; boundary=x'], ['text/xml'], ['application/json; charset=koi8-r'], [null]])(
    'refuses %s with 415 naming the types it takes',
    async (type) => {
      const { handler, engine } = dropIn();
      const response = await handler(curl(seedBody(), { type }));
      expect(response.status).toBe(415);
      expect(response.headers.get('accept-post')).toBe('application/json, application/x-www-form-urlencoded');
      expect(engine.accepted).toHaveLength(0);
    },
  );

  it.each([
    ['not JSON', 'name=Anna&phone=8916'],
    ['JSON without ops', '{"data":{}}'],
    ['ops not a list', '{"ops":{"type":"create"}}'],
    ['bytes that are not UTF-8', new Uint8Array([0x7b, 0xff, 0x7d])],
  ])('answers %s 400 format_error', async (_case, body) => {
    const { handler } = dropIn();
    const response = await handler(curl(body));
    expect(response.status).toBe(400);
    expect(await answerOf(response)).toMatchObject({ request_proc: 'format_error', ops: [] });
  });

  it('refuses more ops than the limit whole', async () => {
    const { handler, engine } = dropIn({ maxOps: 2 });
    const response = await handler(
      curl(seedBody(seedOp({ ref: 'a' }), seedOp({ ref: 'b' }), seedOp({ ref: 'c' }))),
    );
    expect(response.status).toBe(400);
    expect(engine.accepted).toHaveLength(0);
  });

  it('answers anything but POST 405', async () => {
    const { handler } = dropIn();
    const response = await handler(new Request(URL_OK));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('never answers 5xx for any body (300 fuzzed)', async () => {
    const { handler } = dropIn();
    const phpScalar = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
    const phpArray = fc.oneof(
      fc.dictionary(fc.string(), fc.oneof(phpScalar, fc.array(phpScalar))),
      fc.array(phpScalar),
    );
    const op = fc.record(
      {
        ref: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.double()),
        id: fc.oneof(fc.string(), fc.integer(), fc.object()),
        type: fc.oneof(fc.constant('create'), fc.string()),
        obj: fc.oneof(fc.constant('task'), fc.string()),
        conv_id: fc.anything(),
        data: fc.oneof(
          fc.record({ server: phpArray, cookies: phpArray, post: phpArray }, { requiredKeys: [] }),
          fc.anything(),
        ),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      fc
        .record({ ops: fc.array(fc.oneof(op, fc.anything()), { maxLength: 5 }) })
        .map((value) => JSON.stringify(value)),
      fc.json(),
      fc.string(),
      fc.uint8Array({ maxLength: 200 }),
    );
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom(FORM, 'application/json'), async (payload, type) => {
        const response = await handler(curl(payload, { type }));
        expect(response.status).toBeLessThan(500);
        const answer = (await response.json()) as { request_proc: unknown; ops: unknown };
        expect(typeof answer.request_proc).toBe('string');
        expect(Array.isArray(answer.ops)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
