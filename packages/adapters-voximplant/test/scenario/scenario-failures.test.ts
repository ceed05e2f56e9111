import { resolvePhone, runScenario, type VirtualPhone } from '@prozvon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCallPlanHandler,
  createCallPlanProvider,
  deriveCallRef,
  MemoryPendingCallStore,
} from '../../src/index.js';
import { encodeCustomData } from '../../src/protocol/custom-data.js';
import { scenarioSource } from '../helpers/scenario-source.js';
import { pendingCall, TEST_SECRET } from '../helpers/shop-server.js';
import { serveOnLoopback, type WebServer } from '../helpers/web-server.js';

// The scenario's unhappy paths: no plan, a result endpoint that refuses or is down, its own timer.
let server: WebServer;
const store = new MemoryPendingCallStore();
let resultStatus = 200;

beforeAll(async () => {
  let base = '';
  const planFor = createCallPlanProvider({
    secret: TEST_SECRET,
    store,
    get callbackUrl() {
      return `${base}/result`;
    },
    message: { kind: 'url', url: 'https://shop.example/a.mp3' },
    // 600 virtual s = 600 ms real: far beyond any call here but the ones that never end.
    maxCallSec: 600,
  });
  server = await serveOnLoopback({
    '/plan': createCallPlanHandler(planFor),
    '/plan-down': async () => new Response('down', { status: 503 }),
    '/result': async () => new Response('{}', { status: resultStatus }),
  });
  base = server.url;
});
afterAll(() => server.close());

let nextId = 1;
async function run(
  options: {
    phone?: VirtualPhone;
    customData?: string;
    planPath?: string;
    maxSessionMs?: number;
    timeScale?: number;
  } = {},
) {
  const key = `lead:F${nextId}:dial:1`;
  const callId = deriveCallRef(TEST_SECRET, key);
  await store.savePendingCall(pendingCall({ callId, key, leadId: `F${nextId}` }));
  const session = runScenario({
    scenarioSource,
    customData: options.customData ?? encodeCustomData(callId, `${server.url}${options.planPath ?? '/plan'}`),
    sessionId: nextId++,
    phoneFor: () => options.phone ?? resolvePhone('answers'),
    timeScale: options.timeScale ?? 0.001,
    ...(options.maxSessionMs === undefined ? {} : { maxSessionMs: options.maxSessionMs }),
  });
  return session.done;
}

const paths = (record: Awaited<ReturnType<typeof run>>) =>
  record.requests.map((r) => [new URL(r.url).pathname, r.code]);

describe('the scenario when things go wrong', () => {
  it('ends without dialling when its custom data is not ours', async () => {
    const record = await run({ customData: 'hello' });
    expect(record).toMatchObject({ finishReason: 'Normal termination', calls: [], requests: [] });
    expect(record.log).toEqual(['prozvon: custom data is not a Prozvon call reference']);
  });

  it('ends without dialling when the server does not know the call (404, not retried)', async () => {
    const record = await run({ customData: encodeCustomData('Z'.repeat(22), `${server.url}/plan`) });
    expect(record.calls).toEqual([]);
    expect(paths(record)).toEqual([['/plan', 404]]);
  });

  it('tries the plan three times when our server is down, then ends without dialling', async () => {
    const record = await run({ planPath: '/plan-down' });
    expect(record.calls).toEqual([]);
    expect(paths(record)).toEqual([
      ['/plan-down', 503],
      ['/plan-down', 503],
      ['/plan-down', 503],
    ]);
  });

  it('posts the result three times when our server answers 5xx, once when it refuses (4xx)', async () => {
    resultStatus = 502;
    const retried = await run();
    resultStatus = 401;
    const refused = await run();
    resultStatus = 200;
    expect(paths(retried).slice(1)).toEqual([
      ['/result', 502],
      ['/result', 502],
      ['/result', 502],
    ]);
    expect(paths(refused).slice(1)).toEqual([['/result', 401]]);
    // The same signed body each time: a retry is recognisable as a duplicate.
    expect(new Set(retried.requests.slice(1).map((r) => r.headers['X-Prozvon-Signature'])).size).toBe(1);
  });

  it('reports nodial "hard-timeout" and hangs up when its own timer (maxCallSec) fires first', async () => {
    const record = await run({ phone: { answer: 'human', ringMs: 10_000_000 } });
    const result = JSON.parse(record.requests[1]?.body ?? '{}');
    expect(result).toMatchObject({ outcome: 'nodial', failureReason: 'hard-timeout', failureCode: null });
    expect(record.calls[0]).toMatchObject({ successful: false, failureCode: 487 });
  });

  it('plays the message when the detector fails, counting it as a timeout', async () => {
    const record = await run({ phone: { answer: 'human', amdError: true } });
    const result = JSON.parse(record.requests[1]?.body ?? '{}');
    expect(result).toMatchObject({ outcome: 'answered', amd: { resultClass: 'TIMEOUT' } });
    expect(record.calls[0]?.played).toEqual(['https://shop.example/a.mp3']);
    expect(record.log.some((line) => line.includes('AMD error'))).toBe(true);
  });

  it('sends nodial "terminated" once from Terminating when the platform ends the session first', async () => {
    // The session limit (25 s) falls long before the scenario's own timer (600 s after the plan
    // came); at 1/25 speed the plan has a whole real second to arrive before the limit.
    const record = await run({
      phone: { answer: 'human', ringMs: 100_000 },
      maxSessionMs: 25_000,
      timeScale: 0.04,
    });
    expect(record.finishReason).toBe('Timeout');
    expect(paths(record)).toEqual([
      ['/plan', 200],
      ['/result', 200],
    ]);
    expect(JSON.parse(record.requests[1]?.body ?? '{}')).toMatchObject({
      outcome: 'nodial',
      failureReason: 'terminated',
    });
  });
});
