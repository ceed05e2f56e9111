import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { SqliteLeadStore } from '../../../src/stores/sqlite/index.js';
import { T0 } from '../lead-store-fixtures.js';
import type { CounterWorkerData } from './counter-worker.js';
import { runWorker } from './run-worker.js';
import { useTempDir } from './temp-dir.js';

const HOUR = 3_600_000;

const runCounter = (data: CounterWorkerData) =>
  runWorker<CounterWorkerData, number>('./counter-worker.ts', data);

describe('abuse counters on one SQLite file', () => {
  const dir = useTempDir();

  it('two stores in two threads never both pass a limit, and lose no count', async () => {
    const file = join(dir(), 'leads.db');
    await new SqliteLeadStore(file).close();
    const barrier = new Int32Array(new SharedArrayBuffer(4));
    const data = { file, now: T0, tries: 150, limit: 200, barrier, workers: 2 };
    const counted = await Promise.all([runCounter(data), runCounter(data)]);
    expect(counted[0] + counted[1]).toBe(200);

    const store = new SqliteLeadStore(file);
    expect(await store.countHits([{ key: 'shared', by: 1, limit: 1_000, until: T0 + HOUR }], T0)).toEqual({
      counted: true,
      totals: [201],
    });
    await store.close();
  });

  it('two stores in one process count into one counter', async () => {
    const file = join(dir(), 'leads.db');
    const a = new SqliteLeadStore(file);
    const b = new SqliteLeadStore(file);
    const hit = { key: 'phone', by: 1, limit: 3, until: T0 + HOUR };
    const results = await Promise.all([a, b, a, b].map((store) => store.countHits([hit], T0)));
    expect(results.filter((result) => result.counted)).toHaveLength(3);
    await a.countRefusal('shop-1', 'phone');
    await b.countRefusal('shop-1', 'phone');
    expect((await a.stats()).refusals).toEqual([{ tenantId: 'shop-1', reason: 'phone', count: 2 }]);
    await a.close();
    await b.close();
  });

  it('counts survive a reopen', async () => {
    const file = join(dir(), 'leads.db');
    const first = new SqliteLeadStore(file);
    await first.countHits([{ key: 'ip', by: 2, limit: 3, until: T0 + HOUR }], T0);
    await first.countRefusal('shop-1', 'ip');
    await first.close();

    const second = new SqliteLeadStore(file);
    expect(await second.countHits([{ key: 'ip', by: 2, limit: 3, until: T0 + HOUR }], T0 + 1)).toEqual({
      counted: false,
      totals: [2],
    });
    expect((await second.stats()).refusals).toEqual([{ tenantId: 'shop-1', reason: 'ip', count: 1 }]);
    await second.close();
  });

  it('purges dead counters as it counts, faster than counts start them', async () => {
    const file = join(dir(), 'leads.db');
    const store = new SqliteLeadStore(file);
    // 2,000 counters of an hour that ended, then 1,000 counts an hour later, each starting two.
    for (let i = 0; i < 2_000; i++) {
      await store.countHits([{ key: `old-${i}`, by: 1, limit: 5, until: T0 + HOUR }], T0);
    }
    const later = T0 + HOUR;
    for (let i = 0; i < 1_000; i++) {
      const until = later + HOUR;
      await store.countHits(
        [
          { key: `new-${i}-h`, by: 1, limit: 5, until },
          { key: `new-${i}-d`, by: 1, limit: 5, until },
        ],
        later,
      );
    }
    await store.close();
    const db = new DatabaseSync(file);
    const left = (like: string) =>
      Number(db.prepare('SELECT count(*) AS n FROM counters WHERE key LIKE ?').get(like)?.n);
    expect(left('old-%')).toBe(0);
    expect(left('new-%')).toBe(2_000);
    db.close();
  });

  it('a refused hit takes back the hits counted before it in the same call, in a new window too', async () => {
    const store = new SqliteLeadStore(join(dir(), 'leads.db'));
    const day = { key: 'day', by: 1, limit: 1, until: T0 + 24 * HOUR };
    await store.countHits([day], T0);
    await store.countHits([{ key: 'hour', by: 1, limit: 9, until: T0 + HOUR }], T0);
    // In the same hour: the hour counter would go to 2, the day one refuses.
    const hour = { key: 'hour', by: 1, limit: 9, until: T0 + HOUR };
    expect(await store.countHits([hour, day], T0 + 1)).toEqual({ counted: false, totals: [1, 1] });
    // An hour on, the hour counter starts a new window (1), the day one refuses: back to nothing.
    const next = { key: 'hour', by: 1, limit: 9, until: T0 + 2 * HOUR };
    expect(await store.countHits([next, day], T0 + HOUR)).toEqual({ counted: false, totals: [0, 1] });
    expect(await store.countHits([next], T0 + HOUR)).toEqual({ counted: true, totals: [1] });
    expect(await store.countHits([hour], T0 + 2)).toEqual({ counted: true, totals: [2] });
    await store.close();
  });
});
