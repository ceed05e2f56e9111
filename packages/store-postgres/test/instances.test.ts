import type { StoredLead } from '@prozvon/sdk';
import pg from 'pg';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  auditEntry,
  finish,
  newEffect,
  newLead,
  sameState,
  T0,
} from '../../sdk/test/stores/lead-store-fixtures.js';
import type { PostgresLeadStore } from '../src/index.js';
import { postgres, useFreshSchema } from './support/postgres-schema.js';
import { useTwoInstances } from './support/two-instances.js';

// What SQLite's single writer hides and PostgreSQL shows: two instances (two stores, two pools)
// on one database at once. Each test runs both sides concurrently and counts what came out.
const db = useFreshSchema();
const LEASE = 30_000;

describe.skipIf(!postgres.found)('two instances on one PostgreSQL database', () => {
  const instances = useTwoInstances(db);
  let a: PostgresLeadStore;
  let b: PostgresLeadStore;
  beforeEach(() => {
    [a, b] = [instances.a(), instances.b()];
  });

  it('never claim the same due lead while its lease holds, and together claim them all', async () => {
    for (let i = 0; i < 300; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) => a.insertLead(newLead(`l${i + j}`, { wakeAt: T0 }), [], [])),
      );
    }
    const claimed = { a: [] as string[], b: [] as string[] };
    const drain = async (store: PostgresLeadStore, into: string[]) => {
      for (;;) {
        const batch = await store.claimDueLeads(T0, 7, store === a ? 'a' : 'b', LEASE);
        if (batch.length === 0) return;
        into.push(...batch.map((lead) => lead.id));
      }
    };
    await Promise.all([drain(a, claimed.a), drain(b, claimed.b), drain(a, claimed.a), drain(b, claimed.b)]);

    const all = [...claimed.a, ...claimed.b];
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(300);
    expect(claimed.a.length).toBeGreaterThan(0);
    expect(claimed.b.length).toBeGreaterThan(0);
  });

  it('never claim the same effect twice', async () => {
    await a.insertLead(
      newLead('l1'),
      Array.from({ length: 200 }, (_, i) => newEffect('l1', `e${i}`, { priority: T0 + (i % 7) })),
      [],
    );
    const seen: number[] = [];
    const drain = async (store: PostgresLeadStore, owner: string) => {
      for (;;) {
        const batch = await store.claimEffects(T0, 9, owner, LEASE);
        if (batch.length === 0) return;
        seen.push(...batch.map((effect) => effect.id));
      }
    };
    await Promise.all([drain(a, 'a1'), drain(b, 'b1'), drain(a, 'a2'), drain(b, 'b2')]);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(200);
    expect((await a.getEffects('l1')).every((e) => e.status === 'started' && e.attempts === 1)).toBe(true);
  });

  it('apply concurrent updates of one lead one after the other: none is lost', async () => {
    await a.insertLead(newLead('l1', { snapshot: { count: 0 } }), [], []);
    const bump = (lead: Parameters<Parameters<PostgresLeadStore['updateLead']>[1]>[0]) =>
      sameState(lead, { snapshot: { count: (lead.snapshot as { count: number }).count + 1 } });
    // Spread over turns, so that each store has several transactions in flight in turn.
    const side = async (store: PostgresLeadStore) => {
      for (let i = 0; i < 10; i++)
        await Promise.all([store.updateLead('l1', bump), store.updateLead('l1', bump)]);
    };
    await Promise.all([side(a), side(b)]);
    const lead = await b.getLead('l1');
    expect(lead?.snapshot).toEqual({ count: 40 });
    expect(lead?.version).toBe(41);
  });

  it('decide on the lead as stored, not as this instance last wrote it', async () => {
    // a wrote the lead last (insertLead) and decides on that first (known-leads.ts); b's lease and
    // a change made outside the store (no new version) make that row stale: a's write must not
    // hold, and a decides again on the row as it is, writing its audit and effects once.
    await a.insertLead(newLead('l1', { wakeAt: T0, snapshot: { n: 0 } }), [], []);
    expect((await b.claimDueLeads(T0, 10, 'b', LEASE)).map((lead) => lead.id)).toEqual(['l1']);
    const seen: (string | null)[] = [];
    await a.updateLead('l1', (lead) => {
      seen.push(lead.leaseOwner);
      return sameState(lead, {
        snapshot: { n: 1 },
        effects: [newEffect('l1', 'e1')],
        audit: [auditEntry('l1', { n: 1 })],
      });
    });
    expect(seen).toEqual([null, 'b']);
    expect((await a.getEffects('l1')).map((effect) => effect.key)).toEqual(['lead:l1:e1']);
    expect((await a.getAudit('l1')).map((entry) => entry.detail)).toEqual([{ n: 1 }]);

    const client = new pg.Client({ connectionString: db.url(), options: `-c search_path=${db.schema()}` });
    await client.connect();
    await client.query('UPDATE leads SET wake_at = $1 WHERE id = $2', [T0 + 5, 'l1']);
    await client.end();
    const wakes: (number | null)[] = [];
    await a.updateLead('l1', (lead) => {
      wakes.push(lead.wakeAt);
      return sameState(lead, { snapshot: { n: 2 } });
    });
    expect(wakes).toEqual([T0, T0 + 5]);
    const lead = await b.getLead('l1');
    expect(lead?.snapshot).toEqual({ n: 2 });
    expect(lead?.version).toBe(3);
    expect(lead?.wakeAt).toBe(T0 + 5);
  });

  it('decide on a lead as read when the other wrote it last, and on the locked row once it changed', async () => {
    // With several instances a lead's effects are claimed by any of them: the one that dials
    // reads the lead just before (getLead), then writes the dial's outcome. Decided on that read,
    // the write is one statement (applyDecisions), not a locked read and a write.
    const spy = vi.spyOn(pg.Client.prototype, 'query');
    const statements = () =>
      spy.mock.calls.map(([first]) => (first as unknown as { name?: string }).name ?? '');
    try {
      await a.insertLead(newLead('l1'), [], []);
      await a.insertLead(newLead('l2'), [], []);
      expect((await b.getLead('l1'))?.version).toBe(1);
      spy.mockClear();
      const seen: unknown[] = [];
      await b.updateLead('l1', (lead) => {
        seen.push(lead.version);
        return sameState(lead, { snapshot: { n: 2 } });
      });
      expect(statements()).toContain('prozvon_apply_decisions');
      expect(statements()).not.toContain('prozvon_lock_lead');
      expect(seen).toEqual([1]);

      // Read by b, then written by a: b's read is stale, so its write decides again on the row.
      await b.getLead('l2');
      await a.updateLead('l2', (lead) => sameState(lead, { snapshot: { by: 'a' } }));
      seen.length = 0;
      await b.updateLead('l2', (lead) => {
        seen.push(lead.version);
        return sameState(lead, { snapshot: { ...(lead.snapshot as object), andB: true } });
      });
      expect(seen).toEqual([1, 2]);
    } finally {
      spy.mockRestore();
    }
    expect((await a.getLead('l1'))?.snapshot).toEqual({ n: 2 });
    expect(await a.getLead('l2')).toMatchObject({ snapshot: { by: 'a', andB: true }, version: 3 });
  });

  it("keep a shop's shared cap on a write decided on the lead as last written, and on its fallback", async () => {
    // a decides on what it wrote last (one statement, applyDecisions) unless the row changed; a
    // dial claimed as it is queued counts b's call either way, and a tenant whose call lock another
    // transaction holds gets its dial stored pending: tried inside the write, never waited for.
    const dialOf = (leadId: string, tenantId: string, owner: string) =>
      newEffect(leadId, 'dial', { tenantId, paid: true, claim: { owner, leaseUntil: T0 + LEASE, cap: 1 } });
    const decideDial = (leadId: string, tenantId: string, seen: (string | null)[]) => (lead: StoredLead) => {
      seen.push(lead.leaseOwner);
      return sameState(lead, { snapshot: { dialled: true }, effects: [dialOf(leadId, tenantId, 'a')] });
    };
    const statusOf = async (leadId: string) => (await a.getEffects(leadId)).map((effect) => effect.status);
    await a.insertLead(newLead('l1', { tenantId: 'shop-a' }), [], []);
    await a.insertLead(newLead('l2', { tenantId: 'shop-c' }), [], []);
    await a.insertLead(newLead('l3', { tenantId: 'shop-d', wakeAt: T0 }), [], []);
    await a.insertLead(newLead('l4', { tenantId: 'shop-a', wakeAt: T0 }), [], []);
    const held = await b.insertLead(newLead('b1', { tenantId: 'shop-a' }), [dialOf('b1', 'shop-a', 'b')], []);
    expect(held.inserted && held.claimed.map((effect) => effect.leadId)).toEqual(['b1']);

    // The known row, shop-a at its cap through b's call: stored pending, not claimed.
    const seen: (string | null)[] = [];
    expect(await a.updateLead('l1', decideDial('l1', 'shop-a', seen))).toEqual({ claimed: [] });
    expect(seen).toEqual([null]);
    expect(await statusOf('l1')).toEqual(['pending']);

    // The known row, shop-c with room but its call lock held by another transaction: pending too.
    const client = new pg.Client({ connectionString: db.url(), options: `-c search_path=${db.schema()}` });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended('calls:shop-c', 0))");
      expect(await a.updateLead('l2', decideDial('l2', 'shop-c', seen))).toEqual({ claimed: [] });
      expect(await statusOf('l2')).toEqual(['pending']);
      await client.query('COMMIT');
    } finally {
      await client.end();
    }

    // b's lease makes a's rows of l3 and l4 stale: decided again on the locked row, capped as ever.
    expect((await b.claimDueLeads(T0, 10, 'b', LEASE)).map((lead) => lead.id).sort()).toEqual(['l3', 'l4']);
    seen.length = 0;
    const roomy = await a.updateLead('l3', decideDial('l3', 'shop-d', seen));
    expect(roomy?.claimed.map((effect) => effect.leadId)).toEqual(['l3']);
    expect(await a.updateLead('l4', decideDial('l4', 'shop-a', seen))).toEqual({ claimed: [] });
    expect(seen).toEqual([null, 'b', null, 'b']);
    expect(await statusOf('l3')).toEqual(['started']);
    expect(await statusOf('l4')).toEqual(['pending']);
  });

  it('count hits of one key without passing its limit together', async () => {
    const hit = { key: 'abuse:phone:1', by: 1, limit: 10, until: T0 + 60_000 };
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).countHits([hit], T0)),
    );
    expect(results.filter((r) => r.counted)).toHaveLength(10);
    expect((await a.countHits([{ ...hit, limit: 11 }], T0)).totals).toEqual([11]);
  });

  it('store one of two identical submits at once, and answer the other with it', async () => {
    const order = (id: string) => newLead(id, { ref: 'order-7', bodyHash: 'a'.repeat(64) });
    const results = await Promise.all([
      a.insertLead(order('l1'), [newEffect('l1', 'createCrmLead')], []),
      b.insertLead(order('l2'), [newEffect('l2', 'createCrmLead')], []),
    ]);
    const stored = results.filter((r) => r.inserted);
    expect(stored).toHaveLength(1);
    const winner = (await a.getLead('l1')) ? 'l1' : 'l2';
    expect(results.find((r) => !r.inserted)).toMatchObject({ replay: true, leadId: winner });
  });

  it('adopt one CRM lead once, whichever instance hears of it', async () => {
    const adopted = (id: string) => newLead(id, { adoptedCrmLeadId: '42' });
    const results = await Promise.all([
      a.insertLead(adopted('l1'), [], []),
      b.insertLead(adopted('l2'), [], []),
    ]);
    expect(results.filter((r) => r.inserted)).toHaveLength(1);
    expect(results.find((r) => !r.inserted)).toMatchObject({ adopted: true });
  });

  it('see each other’s writes: a lead finished on one is claimed by neither', async () => {
    await a.insertLead(newLead('l1', { wakeAt: T0 }), [], []);
    await b.updateLead('l1', (lead) => finish(lead, T0));
    expect(await a.claimDueLeads(T0, 10, 'a', LEASE)).toEqual([]);
    expect(await b.nextDueAt()).toBeNull();
  });

  it('prune each finished lead once together, and skip one another transaction holds', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `l${i}`);
    await Promise.all(
      ids.map(async (id, i) => {
        await a.insertLead(
          newLead(id, { submittedAt: T0 + i }),
          [newEffect(id, 'crm')],
          [auditEntry(id, { i })],
        );
        await a.updateLead(id, (lead) => finish(lead, T0 + i));
      }),
    );
    // The oldest lead is held (as an instance's write of it would hold it): both pass it by.
    const holder = new pg.Client({ connectionString: db.url(), options: `-c search_path=${db.schema()}` });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT id FROM leads WHERE id = 'l0' FOR UPDATE`);
      const counts: number[] = [];
      const drain = async (store: PostgresLeadStore) => {
        for (;;) {
          const n = await store.pruneFinished(T0 + 1_000, 7);
          counts.push(n);
          if (n === 0) return;
        }
      };
      await Promise.all([drain(a), drain(b), drain(a), drain(b)]);
      expect(counts.reduce((sum, n) => sum + n, 0)).toBe(119);
      expect(await a.getAudit('l0')).toHaveLength(1);
      await holder.query('COMMIT');
    } finally {
      await holder.end();
    }
    // Released, it goes with the next pass; every lead stays, its trail and outbox rows gone.
    expect(await b.pruneFinished(T0 + 1_000, 7)).toBe(1);
    for (const id of ids) {
      expect(await a.getAudit(id)).toEqual([]);
      expect(await a.getEffects(id)).toEqual([]);
    }
    expect((await a.listLeads('shop-1', { limit: 200 })).leads).toHaveLength(120);
  });
});
