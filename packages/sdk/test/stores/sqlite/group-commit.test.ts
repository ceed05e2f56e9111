import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/stores/sqlite/connection.js';
import { GroupCommit } from '../../../src/stores/sqlite/group-commit.js';
import { useTempDir } from './temp-dir.js';

describe('GroupCommit', () => {
  const dir = useTempDir();
  let db: DatabaseSync;
  let file: string;

  beforeEach(() => {
    file = join(dir(), 'group.db');
    db = openDatabase(file, 1_000);
    db.exec('CREATE TABLE t (n INTEGER NOT NULL UNIQUE) STRICT');
  });
  afterEach(() => db.close());

  const insert = (n: number) => () => db.prepare('INSERT INTO t (n) VALUES (?)').run(n).changes;
  const rows = (from: DatabaseSync = db) =>
    from
      .prepare('SELECT n FROM t ORDER BY rowid')
      .all()
      .map((row) => row.n);
  /** What another connection sees: only what was committed. */
  const committed = () => {
    const other = new DatabaseSync(file);
    try {
      return rows(other);
    } finally {
      other.close();
    }
  };

  it('commits the writes of one turn in one transaction, in the order asked', async () => {
    const group = new GroupCommit(db);
    let commits = 0;
    const counted = <T>(write: () => T) =>
      group.run(() => {
        if (!db.isTransaction) throw new Error('outside a transaction');
        return write();
      });
    const original = db.exec.bind(db);
    db.exec = (sql: string) => {
      if (sql === 'COMMIT') commits++;
      original(sql);
    };
    const writes = [3, 1, 2].map((n) => counted(insert(n)));
    expect(committed()).toEqual([]); // nothing yet: the batch waits for the turn to end
    expect(await Promise.all(writes)).toEqual([1, 1, 1]);
    expect(commits).toBe(1);
    expect(committed()).toEqual([3, 1, 2]);
  });

  it('settles a write only once it is committed, as another connection sees it', async () => {
    const group = new GroupCommit(db);
    const seen = await Promise.all(
      [group.run(insert(1)), group.run(insert(2))].map((p) => p.then(committed)),
    );
    expect(seen).toEqual([
      [1, 2],
      [1, 2],
    ]);
  });

  it('rolls a failing write back alone: the others of its batch commit', async () => {
    const group = new GroupCommit(db);
    const partial = () => {
      insert(10)();
      insert(1)(); // breaks the UNIQUE rule after writing 10: 10 must go too
    };
    const results = await Promise.allSettled([
      group.run(insert(1)),
      group.run(partial),
      group.run(insert(2)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(committed()).toEqual([1, 2]);
  });

  it('runs each write once, bare, when none fails; a failure runs the batch again, a savepoint each', async () => {
    const group = new GroupCommit(db);
    const runs = new Map<string, number>();
    const counted = (name: string, write: () => unknown) => () => {
      runs.set(name, (runs.get(name) ?? 0) + 1);
      return write();
    };
    await Promise.all([group.run(counted('a', insert(1))), group.run(counted('b', insert(2)))]);
    expect(Object.fromEntries(runs)).toEqual({ a: 1, b: 1 });

    runs.clear();
    const results = await Promise.allSettled([
      group.run(counted('c', insert(3))),
      group.run(counted('dup', insert(1))),
      group.run(counted('d', insert(4))),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // The first pass stopped at the failure: 'd' ran once, in the second pass alone.
    expect(Object.fromEntries(runs)).toEqual({ c: 2, dup: 2, d: 1 });
    expect(group.commits).toBe(2);
    expect(committed()).toEqual([1, 2, 3, 4]);
  });

  it('a write alone fails alone too', async () => {
    const group = new GroupCommit(db);
    await group.run(insert(1));
    await expect(group.run(insert(1))).rejects.toThrow(/UNIQUE/);
    expect(db.isTransaction).toBe(false);
    expect(committed()).toEqual([1]);
  });

  it('splits a long queue into batches of at most maxBatch, committing them in order', async () => {
    const group = new GroupCommit(db, 4);
    const sizes: number[] = [];
    let current = 0;
    const original = db.exec.bind(db);
    db.exec = (sql: string) => {
      if (sql === 'BEGIN IMMEDIATE') current = 0;
      if (sql === 'COMMIT') sizes.push(current);
      original(sql);
    };
    const numbers = Array.from({ length: 10 }, (_, i) => i);
    const counted = (n: number) => () => {
      current++;
      return insert(n)();
    };
    await Promise.all(numbers.map((n) => group.run(counted(n))));
    expect(sizes).toEqual([4, 4, 2]);
    expect(group.commits).toBe(3);
    expect(committed()).toEqual(numbers);
  });

  it('fails every write of a batch when the transaction cannot begin within its busy budget', async () => {
    const group = new GroupCommit(db);
    const holder = new DatabaseSync(file, { timeout: 0 });
    holder.exec('BEGIN IMMEDIATE');
    const quick = openDatabase(file, 0);
    // Tried again with back-off for 50 ms, then given up (busy-database.test.ts: the wait).
    const blocked = new GroupCommit(quick, 256, 50);
    const results = await Promise.allSettled([blocked.run(insert(1)), blocked.run(insert(2))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/locked|busy/i);
    holder.exec('ROLLBACK');
    holder.close();
    quick.close();
    await group.run(insert(3));
    expect(committed()).toEqual([3]);
  });

  it('drain() commits what is queued at once', () => {
    const group = new GroupCommit(db);
    void group.run(insert(1));
    void group.run(insert(2));
    group.drain();
    expect(committed()).toEqual([1, 2]);
  });
});
