import { describe, expect, it } from 'vitest';
import { LeadEngine, StaticTenants, silentLogger } from '../../src/engine/index.js';
import type {
  LeadUpdate,
  StartCallRequest,
  StoredLead,
  UpdateOptions,
  UpdateResult,
} from '../../src/ports/index.js';
import { MemoryLeadStore } from '../../src/stores/memory-lead-store.js';
import { SimulatedClock, settle } from '../../src/testing/index.js';
import { customer, DAYTIME, phoneOf, recordingTenant } from './harness.js';

/** The memory store as one several instances write (as PostgreSQL is): it keeps the caps. */
class SharedMemoryStore extends MemoryLeadStore {
  readonly shared = true;
}

/**
 * The same, handing a dial's slot on as PostgreSQL does (EffectHandOff): after the outcome's
 * write, the shop's next pending dial claimed within its cap, in the same call.
 */
class HandingOffStore extends SharedMemoryStore {
  readonly handedOff: string[] = [];
  /** The writes that asked for a hand-off. */
  asked = 0;

  override async updateLead(
    leadId: string,
    decide: (lead: StoredLead) => LeadUpdate | null,
    options: UpdateOptions = {},
  ): Promise<UpdateResult | null> {
    const written = await super.updateLead(leadId, decide, options);
    const { handOff } = options;
    if (handOff !== undefined) this.asked++;
    if (written === null || handOff === undefined || options.completeEffect === undefined) return written;
    const { now, owner, leaseUntil, caps } = handOff;
    const [next] = await this.claimEffects(
      now,
      1,
      owner,
      leaseUntil - now,
      undefined,
      { only: caps.kinds },
      caps,
    );
    if (next === undefined) return written;
    this.handedOff.push(next.leadId);
    return { ...written, handedOff: next };
  }
}

/**
 * Two engines on `store`, a shop with one call in flight at most, six leads submitted to them in
 * turn, each call held until `release`: its calls (dialled, in order), the most at once.
 */
async function twoEnginesDialling(store: SharedMemoryStore) {
  const clock = new SimulatedClock(DAYTIME);
  const tenant = recordingTenant('default', { maxCallsInFlight: 1 });
  const calls = { dialled: [] as string[], held: [] as (() => void)[], open: 0, peak: 0 };
  tenant.ports.voice.startCall = async (request: StartCallRequest) => {
    calls.dialled.push(request.leadId);
    calls.peak = Math.max(calls.peak, ++calls.open);
    await new Promise<void>((resolve) => calls.held.push(resolve));
    calls.open--;
    return { sessionId: request.key };
  };
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
  const release = async () => {
    for (let round = 0; round < 20 && calls.held.length > 0; round++) {
      calls.held.shift()?.();
      await settle();
    }
  };
  const stop = async () => {
    for (const engine of engines) await engine.stop();
    await store.close();
  };
  return { calls, leads, release, stop };
}

describe('two engines on a shared store', () => {
  it("keep a shop's calls in flight within its cap between them, and dial every lead", async () => {
    const { calls, leads, release, stop } = await twoEnginesDialling(new SharedMemoryStore());
    // Each engine alone would have started one: the store says the shop already has its call.
    expect(calls.dialled).toHaveLength(1);
    await release();
    expect(calls.peak).toBe(1);
    expect([...calls.dialled].sort()).toEqual([...leads].sort());
    await stop();
  });

  it("hand a call's slot to the shop's next dial with its outcome, and keep the cap", async () => {
    const store = new HandingOffStore();
    const { calls, leads, release, stop } = await twoEnginesDialling(store);
    expect(calls.dialled).toHaveLength(1);
    await release();
    expect(calls.peak).toBe(1);
    expect([...calls.dialled].sort()).toEqual([...leads].sort());
    // Each call after the first went on in the slot the one before freed, dialled by the engine
    // that wrote the outcome.
    expect(store.handedOff).toEqual(calls.dialled.slice(1));
    await stop();
  });

  it('ask for no hand-off while no dial of the shop waits: the claim would find none', async () => {
    const clock = new SimulatedClock(DAYTIME);
    const tenant = recordingTenant('default', { maxCallsInFlight: 5 });
    const store = new HandingOffStore();
    const engine = new LeadEngine(store, new StaticTenants([tenant]), clock, silentLogger(), { owner: 'a' });
    await engine.start();
    await settle();
    // A claim coming back short clears the backlog the start marks (the lane's whole one).
    for (let i = 0; i < 3; i++) await engine.submitLead({ ...customer, phone: phoneOf(i) });
    await settle();
    expect(tenant.ports.voice.started).toHaveLength(3);
    expect(store.asked).toBe(0);
    await engine.stop();
    await store.close();
  });
});
