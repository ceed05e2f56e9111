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

  it("hand a call's slot to the shop's next dial with its outcome, and keep the cap", async () => {
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
    const store = new HandingOffStore();
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
    expect(dialled).toHaveLength(1);

    for (let round = 0; round < 20 && held.length > 0; round++) {
      held.shift()?.();
      await settle();
    }
    expect(peak).toBe(1);
    expect([...dialled].sort()).toEqual([...leads].sort());
    // Each call after the first went on in the slot the one before freed, dialled by the engine
    // that wrote the outcome.
    expect(store.handedOff).toEqual(dialled.slice(1));
    for (const engine of engines) await engine.stop();
    await store.close();
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
