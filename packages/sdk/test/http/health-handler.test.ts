import { afterEach, describe, expect, it } from 'vitest';
import { createHealthHandler } from '../../src/http/index.js';
import type { LeadStore } from '../../src/ports/index.js';
import { MemoryLeadStore } from '../../src/testing/index.js';
import { startEngine } from '../engine/harness.js';

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

const healthz = (handler: ReturnType<typeof createHealthHandler>) =>
  handler(new Request('http://shop.test/healthz'));

describe('createHealthHandler', () => {
  it('answers 200 with the store and the scheduler while the engine runs', async () => {
    const h = await startEngine();
    stop = () => h.engine.stop();
    const response = await healthz(createHealthHandler(h.engine));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { scheduler: { lastTickAgeMs: number } };
    expect(body).toMatchObject({ ok: true, store: { ok: true }, scheduler: { running: true, stuck: false } });
    expect(body.scheduler.lastTickAgeMs).toBeGreaterThanOrEqual(0);
  });

  it('answers 503 once the engine stopped', async () => {
    const h = await startEngine();
    await h.engine.stop();
    const response = await healthz(createHealthHandler(h.engine));
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ ok: false, scheduler: { running: false } });
  });

  it('answers 503 naming the store when it does not answer in time', async () => {
    const store = new MemoryLeadStore();
    const h = await startEngine({ store });
    stop = () => h.engine.stop();
    (store as LeadStore).nextDueAt = () => new Promise(() => {}); // hangs
    const response = await healthz(createHealthHandler(h.engine, { storeDeadlineMs: 20 }));
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      ok: false,
      store: { ok: false, error: 'no answer within 20 ms' },
    });
  });

  it('answers 503 when the store fails', async () => {
    const store = new MemoryLeadStore();
    const h = await startEngine({ store });
    stop = () => h.engine.stop();
    (store as LeadStore).nextDueAt = () => Promise.reject(new Error('database is locked'));
    const response = await healthz(createHealthHandler(h.engine));
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ store: { ok: false, error: 'database is locked' } });
  });

  it('answers 503 when the effects’ claim loop is stuck, with each lane’s effects in flight', async () => {
    const calm = await startEngine();
    expect(await (await healthz(createHealthHandler(calm.engine))).json()).toMatchObject({
      ok: true,
      effects: { pumpRunningForMs: null, stuck: false, inFlight: { crm: 0, messages: 0, dial: 0 } },
    });
    await calm.engine.stop();

    const store = new MemoryLeadStore();
    // The engine's first tick asks for effects: a claim that never answers holds the loop.
    (store as LeadStore).claimEffects = () => new Promise(() => {});
    const h = await startEngine({ store });
    stop = () => h.engine.stop();
    await h.clock.advance(61_000);
    const response = await healthz(createHealthHandler(h.engine, { stuckAfterMs: 60_000 }));
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      ok: false,
      scheduler: { stuck: false },
      effects: { stuck: true, pumpRunningForMs: 61_000 },
    });
  });
});
