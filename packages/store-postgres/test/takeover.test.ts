import pg from 'pg';
import { beforeEach, describe, expect, it } from 'vitest';
import { newEffect, newLead, T0 } from '../../sdk/test/stores/lead-store-fixtures.js';
import type { PostgresLeadStore } from '../src/index.js';
import { TAKEOVER_MS } from '../src/statements.js';
import { postgres, useFreshSchema } from './support/postgres-schema.js';
import { useTwoInstances } from './support/two-instances.js';

// A pending effect is first its own instance's to claim (effects.queued_by, migration 14): the
// process that holds its lead as last written. Another instance takes it once it has waited
// TAKEOVER_MS, its own may be gone. Two stores (two pools, two instances) on one database.
const db = useFreshSchema();
const LEASE = 30_000;
const DIAL_CAPS = { kinds: ['dial'], perTenant: {}, otherwise: 5 };

describe.skipIf(!postgres.found)('a pending effect left first to the instance that queued it', () => {
  const instances = useTwoInstances(db);
  let a: PostgresLeadStore;
  let b: PostgresLeadStore;
  beforeEach(() => {
    [a, b] = [instances.a(), instances.b()];
  });

  const claimed = async (store: PostgresLeadStore, now: number) =>
    (await store.claimEffects(now, 10, 'x', LEASE)).map((effect) => effect.leadId);

  it('is claimed by its own instance at once, by another only once it has waited', async () => {
    await a.insertLead(newLead('l1'), [newEffect('l1', 'notify')], []);
    await a.insertLead(newLead('l2'), [newEffect('l2', 'notify')], []);
    expect(await claimed(b, T0)).toEqual([]);
    expect(await claimed(b, T0 + TAKEOVER_MS - 1)).toEqual([]);
    expect(await claimed(a, T0)).toEqual(['l1', 'l2']);

    await a.insertLead(newLead('l3'), [newEffect('l3', 'notify')], []);
    expect(await claimed(b, T0 + TAKEOVER_MS)).toEqual(['l3']);
  });

  it('is due for another instance when it may take it over', async () => {
    await a.insertLead(newLead('l1'), [newEffect('l1', 'notify', { availableAt: T0 + 100 })], []);
    expect(await a.nextDueAt(T0)).toBe(T0 + 100);
    expect(await b.nextDueAt(T0)).toBe(T0 + 100 + TAKEOVER_MS);
    // Strictly later than `after`, as ever: due for neither once that has passed.
    expect(await a.nextDueAt(T0 + 100)).toBeNull();
    expect(await b.nextDueAt(T0 + 100 + TAKEOVER_MS)).toBeNull();
  });

  it('is anyone’s at once when no instance queued it (a row from before migration 14)', async () => {
    await a.insertLead(newLead('l1'), [newEffect('l1', 'notify', { availableAt: T0 + 100 })], []);
    const client = new pg.Client({ connectionString: db.url(), options: `-c search_path=${db.schema()}` });
    await client.connect();
    await client.query('UPDATE effects SET queued_by = NULL').finally(() => client.end());
    expect(await b.nextDueAt(T0)).toBe(T0 + 100);
    expect(await claimed(b, T0 + 100)).toEqual(['l1']);
  });

  it('is not held back from capped claims: a slot of the shop freed anywhere serves its first call', async () => {
    const dial = (id: string) => newEffect(id, 'dial', { paid: true });
    await a.insertLead(newLead('l1'), [dial('l1')], []);
    const capped = (store: PostgresLeadStore, now: number) =>
      store.claimEffects(now, 10, 'x', LEASE, undefined, { only: ['dial'] }, DIAL_CAPS);
    expect((await capped(b, T0)).map((effect) => effect.leadId)).toEqual(['l1']);
  });

  it('is the instance’s that puts it back for a retry', async () => {
    await a.insertLead(newLead('l1'), [newEffect('l1', 'notify')], []);
    // Taken over by b once it waited, and put back by b for a retry: b's to retry first.
    const [effect] = await b.claimEffects(T0 + TAKEOVER_MS, 1, 'b', LEASE);
    if (effect === undefined) throw new Error('not taken over');
    await b.releaseEffect(effect.id, 'b', T0 + 10_000, { retry: 'transient' });
    expect(await claimed(a, T0 + 10_000)).toEqual([]);
    expect(await claimed(b, T0 + 10_000)).toEqual(['l1']);
  });
});
