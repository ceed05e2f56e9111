import { describe, expect, it } from 'vitest';
import { LeadEngine, StaticTenants, silentLogger } from '../../src/engine/index.js';
import type { StartCallRequest } from '../../src/ports/index.js';
import { MemoryLeadStore } from '../../src/stores/memory-lead-store.js';
import { SimulatedClock, settle } from '../../src/testing/index.js';
import { customer, DAYTIME, phoneOf, recordingTenant } from './harness.js';

/** The memory store as one several instances write (as PostgreSQL is): it keeps the caps. */
class SharedMemoryStore extends MemoryLeadStore {
  readonly shared = true;
}

describe('two engines on a shared store', () => {
  it("keep a shop's calls in flight within its cap between them, and dial every lead", async () => {
    const clock = new SimulatedClock(DAYTIME);
    const tenant = recordingTenant('default', { maxCallsInFlight: 1 });
    const dialled: string[] = [];
    const held: (() => void)[] = [];
    let open = 0;
    let peak = 0;
    tenant.ports.voice.startCall = async (request: StartCallRequest) => {
      dialled.push(request.leadId);
      peak = Math.max(peak, ++open);
      await new Promise<void>((resolve) => held.push(resolve));
      open--;
      return { sessionId: request.key };
    };
    const store = new SharedMemoryStore();
    const engines = [0, 1].map(
      (i) =>
        new LeadEngine(store, new StaticTenants([tenant]), clock, silentLogger(), { owner: `instance-${i}` }),
    );
    for (const engine of engines) await engine.start();
    await settle();

    const leads: string[] = [];
    for (let i = 0; i < 6; i++) {
      const engine = engines[i % 2] as LeadEngine;
      leads.push((await engine.submitLead({ ...customer, phone: phoneOf(i) })).leadId);
    }
    await settle();
    // Each engine alone would have started one: the store says the shop already has its call.
    expect(dialled).toHaveLength(1);

    for (let round = 0; round < 20 && held.length > 0; round++) {
      held.shift()?.();
      await settle();
    }
    expect(peak).toBe(1);
    expect([...dialled].sort()).toEqual([...leads].sort());
    for (const engine of engines) await engine.stop();
    await store.close();
  });
});
