import type { EffectHandOff, EffectRow, InFlightCaps, StoredLead } from '@prozvon/sdk';
import pg from 'pg';
import { beforeEach, describe, expect, it } from 'vitest';
import { newEffect, newLead, sameState, T0 } from '../../sdk/test/stores/lead-store-fixtures.js';
import type { PostgresLeadStore } from '../src/index.js';
import { postgres, useFreshSchema } from './support/postgres-schema.js';
import { useTwoInstances } from './support/two-instances.js';

// EffectHandOff: a dial's outcome, written with a hand-off, claims the shop's next pending dial in
// its own transaction, within the shop's cap as every instance counts it. Two instances (two
// stores, two pools) on one database, as instances.test.ts.
const db = useFreshSchema();
const LEASE = 30_000;

describe.skipIf(!postgres.found)('a dial outcome handing its slot to the next dial', () => {
  const instances = useTwoInstances(db);
  let a: PostgresLeadStore;
  let b: PostgresLeadStore;
  beforeEach(() => {
    [a, b] = [instances.a(), instances.b()];
  });

  const capsOf = (perTenant: Record<string, number>): InFlightCaps => ({
    kinds: ['dial'],
    perTenant,
    otherwise: 1,
  });
  const handOff = (tenantId: string, caps: InFlightCaps, owner = 'a'): EffectHandOff => ({
    tenantId,
    now: T0,
    owner,
    leaseUntil: T0 + LEASE,
    caps,
  });
  /** A lead of `tenantId` with a dial: started by `owner` (claimed as queued), or pending. */
  const leadWithDial = async (store: PostgresLeadStore, id: string, tenantId: string, owner?: string) => {
    const dial = newEffect(id, 'dial', {
      tenantId,
      paid: true,
      // Earlier leads first, as the engine's priority (the submit time) puts them.
      priority: T0 + Number(id.replace(/\D/g, '')),
      ...(owner === undefined ? {} : { claim: { owner, leaseUntil: T0 + LEASE } }),
    });
    const inserted = await store.insertLead(newLead(id, { tenantId }), [dial], []);
    if (!inserted.inserted) throw new Error(`${id} not inserted`);
    return inserted.claimed[0];
  };
  /** The dial's outcome on its lead: the lead kept as it is, the dial done, `options` besides. */
  const outcome = (store: PostgresLeadStore, dial: EffectRow, caps?: InFlightCaps, owner = 'a') =>
    store.updateLead(dial.leadId, (lead: StoredLead) => sameState(lead, { updatedAt: T0 + 1 }), {
      completeEffect: { effectId: dial.id, status: 'done', result: { callId: 'c' }, at: T0 + 1 },
      ...(caps === undefined ? {} : { handOff: handOff(dial.tenantId, caps, owner) }),
    });
  const dialOf = async (store: PostgresLeadStore, leadId: string) => {
    const [dial] = await store.getEffects(leadId);
    return { status: dial?.status, owner: dial?.leaseOwner };
  };

  it("claims the shop's next pending dial in the outcome's transaction, counting every instance's calls", async () => {
    const first = await leadWithDial(a, 'l1', 'shop-a', 'a');
    await leadWithDial(b, 'l2', 'shop-a', 'b');
    await leadWithDial(a, 'l3', 'shop-a');
    await leadWithDial(a, 'l4', 'shop-a');
    await leadWithDial(a, 'l5', 'shop-b');
    if (first === undefined) throw new Error('l1 not claimed');

    // Cap 2: b's call and the next one once l1's is done. The earliest pending dial of the shop.
    const written = await outcome(a, first, capsOf({ 'shop-a': 2 }));
    expect(written?.handedOff).toMatchObject({
      leadId: 'l3',
      status: 'started',
      leaseOwner: 'a',
      attempts: 1,
    });
    expect(await dialOf(a, 'l1')).toEqual({ status: 'done', owner: null });
    expect(await dialOf(a, 'l3')).toEqual({ status: 'started', owner: 'a' });
    // Never another shop's, and no more than the freed slot asked for.
    expect(await dialOf(a, 'l4')).toEqual({ status: 'pending', owner: null });
    expect(await dialOf(a, 'l5')).toEqual({ status: 'pending', owner: null });
  });

  it('claims nothing where the shop has no room: the cap counts the calls of the other instance', async () => {
    const first = await leadWithDial(a, 'l1', 'shop-a', 'a');
    await leadWithDial(b, 'l2', 'shop-a', 'b');
    await leadWithDial(b, 'l3', 'shop-a', 'b');
    await leadWithDial(a, 'l4', 'shop-a');
    if (first === undefined) throw new Error('l1 not claimed');

    const written = await outcome(a, first, capsOf({ 'shop-a': 2 }));
    expect(written).toEqual({ claimed: [] });
    expect(await dialOf(a, 'l1')).toEqual({ status: 'done', owner: null });
    expect(await dialOf(a, 'l4')).toEqual({ status: 'pending', owner: null });
  });

  it("claims nothing, and waits for nothing, while another transaction holds the shop's call lock", async () => {
    const first = await leadWithDial(a, 'l1', 'shop-a', 'a');
    await leadWithDial(a, 'l2', 'shop-a');
    if (first === undefined) throw new Error('l1 not claimed');
    const client = new pg.Client({ connectionString: db.url(), options: `-c search_path=${db.schema()}` });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended('calls:shop-a', 0))");
      expect(await outcome(a, first, capsOf({ 'shop-a': 5 }))).toEqual({ claimed: [] });
      expect(await dialOf(a, 'l1')).toEqual({ status: 'done', owner: null });
      expect(await dialOf(a, 'l2')).toEqual({ status: 'pending', owner: null });
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
  });

  it("gives each of a turn's outcomes of one shop a dial of its own, and one shop's none of another's", async () => {
    const done = await Promise.all([
      leadWithDial(a, 'l1', 'shop-a', 'a'),
      leadWithDial(a, 'l2', 'shop-a', 'a'),
      leadWithDial(a, 'l3', 'shop-b', 'a'),
    ]);
    await leadWithDial(a, 'l4', 'shop-a');
    await leadWithDial(a, 'l5', 'shop-a');
    await leadWithDial(a, 'l6', 'shop-a');
    await leadWithDial(a, 'l7', 'shop-b');
    const caps = capsOf({ 'shop-a': 3, 'shop-b': 1 });
    // One turn: one write transaction (write-queue.ts), the hand-offs claimed together.
    const written = await Promise.all(done.map((dial) => outcome(a, dial as EffectRow, caps)));
    expect(written.map((result) => result?.handedOff?.leadId)).toEqual(['l4', 'l5', 'l7']);
    expect(await dialOf(a, 'l6')).toEqual({ status: 'pending', owner: null });
  });

  it('claims nothing without an effect completed, and nothing the write was not asked for', async () => {
    await leadWithDial(a, 'l1', 'shop-a');
    await leadWithDial(a, 'l2', 'shop-a');
    const plain = await a.updateLead('l1', (lead) => sameState(lead, { updatedAt: T0 + 1 }), {
      handOff: handOff('shop-a', capsOf({ 'shop-a': 5 })),
    });
    expect(plain).toEqual({ claimed: [] });
    expect(await dialOf(a, 'l2')).toEqual({ status: 'pending', owner: null });
  });
});
