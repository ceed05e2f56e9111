import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LeadEngine, StaticTenants, silentLogger } from '../../src/engine/index.js';
import { SqliteLeadStore } from '../../src/stores/sqlite/index.js';
import { SimulatedClock, settle } from '../../src/testing/index.js';
import { useTempDir } from '../stores/sqlite/temp-dir.js';
import { customer, NIGHT, phoneOf, recordingTenant } from './harness.js';

const dir = useTempDir();

describe('two engines on one SQLite file', () => {
  it('share the work: every night lead is woken and dialled exactly once', async () => {
    const file = join(dir(), 'leads.db');
    const clock = new SimulatedClock(NIGHT);
    // One attempt each: no call is answered here, and each lead must be dialled exactly once.
    const tenant = recordingTenant('default', { maxAttempts: 1 });
    const { ports } = tenant;
    // Both engines share the one tenant, so its doubles see every lead of either.
    const tenants = new StaticTenants([tenant]);
    const stores = [new SqliteLeadStore(file), new SqliteLeadStore(file)];
    const engines = stores.map(
      (store, i) =>
        new LeadEngine(store, tenants, clock, silentLogger(), { owner: `instance-${i}`, wakeBatch: 7 }),
    );
    for (const engine of engines) await engine.start();
    const leads: string[] = [];
    for (let i = 0; i < 40; i++) {
      const engine = engines[i % 2];
      if (!engine) throw new Error('no engine');
      leads.push((await engine.submitLead({ ...customer, name: `Customer ${i}`, phone: phoneOf(i) })).leadId);
    }
    await settle();
    expect(ports.sms.sent).toHaveLength(40);
    await clock.advance(12 * 60 * 60_000);
    await settle(50);
    const dialled = ports.voice.started.map((call) => call.leadId);
    expect(new Set(dialled).size).toBe(40);
    expect(dialled).toHaveLength(40);
    expect(ports.crm.leads.size).toBe(40);
    for (const engine of engines) await engine.stop();
    for (const store of stores) await store.close();
  });
});
