import { LeadEngine, StaticTenants, silentLogger } from '@prozvon/sdk';
import { SimulatedClock, settle } from '@prozvon/sdk/testing';
import { describe, expect, it } from 'vitest';
import { customer, NIGHT, phoneOf, recordingTenant } from '../../sdk/test/engine/harness.js';
import { PostgresLeadStore } from '../src/index.js';
import { postgres, useFreshSchema } from './support/postgres-schema.js';

// Whole engines on one PostgreSQL schema, as instances of the app would be.
const db = useFreshSchema();
const open = () => PostgresLeadStore.open({ url: db.url(), schema: db.schema(), poolSize: 4 });

/** Until `check` holds: NOTIFY and the other instance's writes arrive over the network. */
/** Waits for `check`, 30 s at most (a guard: 3 s was not enough for 30 dials on a loaded CI machine). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 3_000 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe.skipIf(!postgres.found)('engines on one PostgreSQL database', () => {
  it('share night leads: each is woken and dialled exactly once, whichever engine took it', async () => {
    await db.empty();
    const clock = new SimulatedClock(NIGHT);
    const tenant = recordingTenant('default', { maxAttempts: 1 });
    const tenants = new StaticTenants([tenant]);
    const stores = [await open(), await open()];
    const engines = stores.map(
      (store, i) =>
        new LeadEngine(store, tenants, clock, silentLogger(), { owner: `instance-${i}`, wakeBatch: 7 }),
    );
    for (const engine of engines) await engine.start();
    for (let i = 0; i < 30; i++) {
      await engines[i % 2]?.submitLead({ ...customer, name: `Customer ${i}`, phone: phoneOf(i) });
    }
    await until(() => tenant.ports.sms.sent.length === 30);
    await clock.advance(12 * 60 * 60_000);
    await until(() => tenant.ports.voice.started.length >= 30);
    await new Promise((resolve) => setTimeout(resolve, 200)); // a second dial would show by now
    const dialled = tenant.ports.voice.started.map((call) => call.leadId);
    expect(new Set(dialled).size).toBe(30);
    expect(dialled).toHaveLength(30);
    for (const engine of engines) await engine.stop();
    for (const store of stores) await store.close();
  });

  it('an engine wakes for a lead another engine took and then stopped (LISTEN/NOTIFY)', async () => {
    await db.empty();
    const clock = new SimulatedClock(NIGHT);
    const tenant = recordingTenant('default', { maxAttempts: 1 });
    const tenants = new StaticTenants([tenant]);
    const [storeA, storeB, observer] = [await open(), await open(), await open()];
    const heard: number[] = [];
    const stopObserving = await observer.watchDue((at) => heard.push(at));
    const a = new LeadEngine(storeA, tenants, clock, silentLogger(), { owner: 'instance-a' });
    const b = new LeadEngine(storeB, tenants, clock, silentLogger(), { owner: 'instance-b' });
    await a.start();
    await b.start();
    await b.submitLead(customer);
    await until(() => tenant.ports.sms.sent.length === 1);
    await b.stop();
    // The morning wake-up (other notifications are the lead's effects, due at once). A listens
    // on its own connection, as the observer does: both heard it by now, or nearly.
    await until(() => heard.some((at) => at > NIGHT + 60 * 60_000));
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The simulated clock jumps while the engine's I/O is real: a tick that ends after the jump
    // arms its timer in the past, fired at the next advance. So time goes on a second at a time,
    // as it would.
    await clock.advance(12 * 60 * 60_000);
    for (let i = 0; i < 20 && tenant.ports.voice.started.length === 0; i++) {
      await until(() => tenant.ports.voice.started.length > 0);
      await clock.advance(1_000);
    }
    expect(tenant.ports.voice.started).toHaveLength(1);
    await settle();
    await a.stop();
    await stopObserving();
    for (const store of [storeA, storeB, observer]) await store.close();
  });
});
