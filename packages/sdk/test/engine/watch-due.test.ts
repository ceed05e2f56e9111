import { describe, expect, it } from 'vitest';
import { LeadEngine, StaticTenants, silentLogger } from '../../src/engine/index.js';
import type { LeadStore } from '../../src/ports/lead-store.js';
import { MemoryLeadStore } from '../../src/stores/memory-lead-store.js';
import { SimulatedClock, settle } from '../../src/testing/index.js';
import { customer, NIGHT, recordingTenant } from './harness.js';

/**
 * A store shared by two engines that, like PostgreSQL's LISTEN/NOTIFY, tells its watchers the
 * wake-up every committed decision stores (LeadStore `watchDue`).
 */
class WatchedStore extends MemoryLeadStore {
  readonly watchers = new Set<(at: number) => void>();

  async watchDue(listener: (at: number) => void): Promise<() => Promise<void>> {
    this.watchers.add(listener);
    return async () => {
      this.watchers.delete(listener);
    };
  }

  override async updateLead(...args: Parameters<LeadStore['updateLead']>) {
    const result = await super.updateLead(...args);
    const lead = await this.getLead(args[0]);
    if (lead && !lead.finished && lead.wakeAt !== null) for (const tell of this.watchers) tell(lead.wakeAt);
    return result;
  }
}

/**
 * Engine B takes a night lead and stops before the morning; engine A, on the same store, never
 * wrote anything due itself. A dials it in the morning only if it heard of B's wake-up.
 */
async function morningDialsByA(store: MemoryLeadStore): Promise<number> {
  const clock = new SimulatedClock(NIGHT);
  const tenant = recordingTenant('default', { maxAttempts: 1 });
  const tenants = new StaticTenants([tenant]);
  const a = new LeadEngine(store, tenants, clock, silentLogger(), { owner: 'instance-a' });
  const b = new LeadEngine(store, tenants, clock, silentLogger(), { owner: 'instance-b' });
  await a.start();
  await b.start();
  await b.submitLead(customer);
  await settle();
  expect(tenant.ports.sms.sent).toHaveLength(1); // the night SMS: the lead now waits for the morning
  await b.stop();
  await clock.advance(12 * 60 * 60_000);
  await settle(50);
  await a.stop();
  return tenant.ports.voice.started.length;
}

describe('LeadStore watchDue', () => {
  it('arms an engine’s timer with a wake-up another engine committed', async () => {
    const store = new WatchedStore();
    expect(await morningDialsByA(store)).toBe(1);
    // Stopping unsubscribes.
    expect(store.watchers.size).toBe(0);
  });

  it('without it, that wake-up waits for the engine’s own timer (here: none)', async () => {
    expect(await morningDialsByA(new MemoryLeadStore())).toBe(0);
  });
});
