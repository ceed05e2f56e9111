import { describe, expect, it } from 'vitest';
import { MemoryRestLog } from '../../src/rest-log/memory-rest-log.js';
import type { RestLog } from '../../src/rest-log/rest-log.js';
import { RestLogWriter } from '../../src/rest-log/rest-log-writer.js';
import { entry, T0 } from './rest-log-contract.js';

describe('RestLogWriter', () => {
  it('appends in groups, writes what is queued on flush, and drops what comes after close', async () => {
    const log = new MemoryRestLog();
    const appends: number[] = [];
    const counting: RestLog = {
      append: (entries) => {
        appends.push(entries.length);
        return log.append(entries);
      },
      list: (memberId, query) => log.list(memberId, query),
      prune: (before, limit) => log.prune(before, limit),
      close: () => log.close(),
    };
    const writer = new RestLogWriter(counting, { maxBatch: 3, delayMs: 60_000, onError: () => {} });
    for (let i = 0; i < 4; i++) writer.record(entry('member-a', T0 + i));
    await writer.flush();
    expect(appends).toEqual([3, 1]);
    writer.record(entry('member-a', T0 + 10));
    await writer.close();
    writer.record(entry('member-a', T0 + 11)); // answered after the app stopped
    await writer.flush();
    expect((await log.list('member-a', { limit: 10 })).map((row) => row.at)).toEqual([
      T0 + 10,
      T0 + 3,
      T0 + 2,
      T0 + 1,
      T0,
    ]);
  });
});
