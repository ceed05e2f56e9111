import { join } from 'node:path';
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
});
