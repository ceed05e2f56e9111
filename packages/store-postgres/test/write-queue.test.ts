import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPgPool } from '../src/index.js';
import { queryPlanned, type Tx, WriteQueue } from '../src/write-queue.js';
import { postgres, useFreshSchema } from './support/postgres-schema.js';

// The group commit on its own: the writes of one turn share a transaction, yet each is atomic
// alone, and a deadlock between two instances is rolled back and run again.
const db = useFreshSchema();

describe.skipIf(!postgres.found)('WriteQueue', () => {
  let pools: pg.Pool[] = [];
  const pool = () => {
    const created = createPgPool({ url: db.url(), schema: db.schema(), max: 3, applicationName: 'test' });
    pools.push(created);
    return created;
  };
  let admin: pg.Pool;
  const values = async () =>
    (await admin.query('SELECT id, v FROM t ORDER BY id')).rows.map((row) => [row.id, row.v]);

  beforeAll(async () => {
    admin = pool();
    await admin.query('CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL)');
  });
  beforeEach(async () => {
    await admin.query('DELETE FROM t');
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    pools = [];
  });

  it('commits the writes of one turn in one transaction, and a failing one rejects alone', async () => {
    const queue = new WriteQueue(pool());
    const insert = (id: number) => queue.run((tx) => tx.query('INSERT INTO t VALUES ($1, 0)', [id]));
    const results = await Promise.allSettled([
      insert(1),
      insert(1), // a duplicate key: the server refuses it
      queue.run(async () => {
        throw new Error('decide threw');
      }),
      insert(2),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: '23505' });
    expect(await values()).toEqual([
      [1, 0],
      [2, 0],
    ]);
    // The bare attempt was rolled back; the one with a savepoint per write committed.
    expect(queue.commits).toBe(1);
  });

  it('plans its writes generically, but for a statement run with queryPlanned', async () => {
    const queue = new WriteQueue(pool());
    const text = "SELECT current_setting('plan_cache_mode') AS mode";
    const mode = async (query: Promise<pg.QueryResult>) => String((await query).rows[0]?.mode);
    const modes = (tx: Tx) =>
      Promise.all([mode(tx.query(text)), mode(queryPlanned(tx, { text })), mode(tx.query(text))]);
    // Bare, then (a write of the batch failing) with a savepoint each.
    expect(await queue.run(modes)).toEqual(['force_generic_plan', 'auto', 'force_generic_plan']);
    const [kept] = await Promise.allSettled([
      queue.run(modes),
      queue.run((tx) => tx.query('INSERT INTO t VALUES (NULL, 0)')),
    ]);
    expect(kept).toEqual({
      status: 'fulfilled',
      value: ['force_generic_plan', 'auto', 'force_generic_plan'],
    });
    // SET LOCAL: the connection's own setting is left as it was.
    const client = await pools.at(-1)?.connect();
    try {
      expect(await mode(client?.query(text) as Promise<pg.QueryResult>)).toBe('auto');
    } finally {
      client?.release();
    }
  });

  it('runs a batch deadlocked by another instance again, so both writes land', async () => {
    await admin.query('INSERT INTO t VALUES (1, 0), (2, 0)');
    const a = new WriteQueue(pool());
    const b = new WriteQueue(pool());
    const bump = (queue: WriteQueue, first: number, second: number) =>
      queue.run(async (tx) => {
        await tx.query('UPDATE t SET v = v + 1 WHERE id = $1', [first]);
        await new Promise((resolve) => setTimeout(resolve, 100));
        await tx.query('UPDATE t SET v = v + 1 WHERE id = $1', [second]);
      });
    // Opposite lock orders: PostgreSQL aborts one of the two with 40P01 (after deadlock_timeout).
    await Promise.all([bump(a, 1, 2), bump(b, 2, 1)]);
    expect(await values()).toEqual([
      [1, 2],
      [2, 2],
    ]);
  });

  it('runs the writes of one key one after the other, in the order asked, and the others alongside', async () => {
    const queue = new WriteQueue(pool());
    const events: string[] = [];
    const write = (name: string, keys: string[]) =>
      queue.run(async (tx) => {
        events.push(`${name} starts`);
        await tx.query('SELECT pg_sleep(0.02)');
        events.push(`${name} ends`);
      }, keys);
    await Promise.all([
      write('l3', ['lead:l3']),
      write('l1 first', ['lead:l1']),
      write('unkeyed', []),
      write('l1 second', ['lead:l1', 'counters']),
      write('counters', ['counters']),
    ]);
    // Those that wait for none start in lead order (unkeyed first): the order a batch takes its
    // lead locks in.
    expect(events.filter((e) => e.endsWith('starts')).slice(0, 3)).toEqual([
      'unkeyed starts',
      'l1 first starts',
      'l3 starts',
    ]);
    const at = (event: string) => events.indexOf(event);
    expect(at('l1 second starts')).toBeGreaterThan(at('l1 first ends'));
    expect(at('counters starts')).toBeGreaterThan(at('l1 second ends'));
    expect(at('l3 starts')).toBeLessThan(at('l1 first ends'));
  });

  it('holds a write back while another batch in flight has one of its keys, and not the others', async () => {
    // Two batches at once: a write of a key the first holds would wait for its row locks in the
    // second, stalling that batch; it goes in a later batch, after the first's COMMIT. The first
    // is held open by a gate (not a sleep), so the order does not depend on the machine's load.
    const queue = new WriteQueue(pool(), 256, 2);
    const events: string[] = [];
    const write = (name: string, keys: string[], gate?: Promise<void>) =>
      queue.run(async (tx) => {
        events.push(`${name} starts`);
        await gate;
        await tx.query('SELECT 1');
        events.push(`${name} ends`);
      }, keys);
    const gate = Promise.withResolvers<void>();
    try {
      const first = write('l1 first', ['lead:l1'], gate.promise);
      // Its batch open (its BEGIN answered: under load that may take a while): then another batch.
      await vi.waitFor(() => expect(events).toContain('l1 first starts'), { timeout: 30_000 });
      const second = write('l1 second', ['lead:l1']);
      // l2 commits while the first batch is still open; the second write of l1 has not started.
      await write('l2', ['lead:l2']);
      expect(events).not.toContain('l1 second starts');
      gate.resolve();
      await Promise.all([first, second]);
    } finally {
      // A failed expectation must not leave the first batch open: the pool's end would wait for it.
      gate.resolve();
    }
    const at = (event: string) => events.indexOf(event);
    expect(at('l1 second starts')).toBeGreaterThan(at('l1 first ends'));
    expect(queue.commits).toBe(3);
  });
});
