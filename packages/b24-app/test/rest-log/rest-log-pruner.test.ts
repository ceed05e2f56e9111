import { ManualClock } from '@prozvon/testkit';
import { describe, expect, it } from 'vitest';
import { MemoryRestLog } from '../../src/rest-log/memory-rest-log.js';
import type { RestLog } from '../../src/rest-log/rest-log.js';
import { DAY_MS, RestLogPruner } from '../../src/rest-log/rest-log-pruner.js';
import { entry, T0 } from './rest-log-contract.js';

describe('RestLogPruner', () => {
  it('deletes what is past the retention in batches, keeps the rest, and stops', async () => {
    const clock = new ManualClock(T0);
    const log = new MemoryRestLog();
    const batches: number[] = [];
    const counting: RestLog = {
      append: (entries) => log.append(entries),
      list: (memberId, query) => log.list(memberId, query),
      prune: async (before, limit) => {
        const deleted = await log.prune(before, limit);
        batches.push(deleted);
        return deleted;
      },
      close: () => log.close(),
    };
    // Seven rows four days old, two of yesterday, on two portals.
    await log.append([
      ...Array.from({ length: 7 }, (_, i) => entry(i % 2 === 0 ? 'member-a' : 'member-b', T0 + i)),
      entry('member-a', T0 + 3 * DAY_MS),
      entry('member-b', T0 + 3 * DAY_MS + 1),
    ]);
    clock.set(T0 + 4 * DAY_MS);
    const errors: unknown[] = [];
    const pruner = new RestLogPruner({
      log: counting,
      retentionMs: 3 * DAY_MS,
      now: () => clock.now(),
      batchSize: 3,
      onError: (error) => errors.push(error),
    });
    expect(await pruner.prune()).toBe(7);
    expect(batches).toEqual([3, 3, 1]);
    expect((await log.list('member-a', { limit: 10 })).map((row) => row.at)).toEqual([T0 + 3 * DAY_MS]);
    expect((await log.list('member-b', { limit: 10 })).map((row) => row.at)).toEqual([T0 + 3 * DAY_MS + 1]);
    // Three days and a bit later than yesterday's rows: they go too, on the next pass.
    clock.advance(3 * DAY_MS);
    pruner.start();
    await pruner.stop();
    expect(await log.list('member-a', { limit: 10 })).toEqual([]);
    expect(await log.list('member-b', { limit: 10 })).toEqual([]);
    expect(errors).toEqual([]);
  });
});
