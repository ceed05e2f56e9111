import { createTestSchema, type TestSchema } from '@prozvon/store-postgres/testing';
import { findPostgres } from '@prozvon/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PostgresRestLog } from '../../src/rest-log/postgres-rest-log.js';
import { entry, restLogContract, T0 } from './rest-log-contract.js';

// The RestLog contract on PostgreSQL, in this file's own schema (emptied before each test), then
// what only several instances on one database show.

const postgres = findPostgres();
if (!postgres.found) console.warn(postgres.reason);

describe.skipIf(!postgres.found)('PostgresRestLog', () => {
  let schema: TestSchema;
  beforeAll(async () => {
    if (postgres.found) schema = await createTestSchema(postgres.url, 'prozvon_rest_log_test');
  });
  afterAll(async () => schema?.drop());
  const open = () => PostgresRestLog.open({ url: schema.url, schema: schema.name });

  restLogContract('PostgreSQL', async () => {
    const log = await open();
    await schema.empty();
    return log;
  });

  describe('several instances', () => {
    const opened: PostgresRestLog[] = [];
    beforeEach(async () => schema.empty());
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((log) => log.close()));
    });
    const two = async () => {
      const logs = [await open(), await open()] as const;
      opened.push(...logs);
      return logs;
    };

    it("each sees the other's rows, and two pruning at once delete each row once", async () => {
      const [a, b] = await two();
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).append([entry('member-a', T0 + i)])),
      );
      expect(await b.list('member-a', { limit: 20 })).toHaveLength(10);
      const pruned = await Promise.all([a.prune(T0 + 8, 100), b.prune(T0 + 8, 100)]);
      expect(pruned[0] + pruned[1]).toBe(8);
      // Listed newest id first; the two instances' appends ran at once, so ids need not follow `at`.
      const left = (await a.list('member-a', { limit: 20 })).map((row) => row.at);
      expect(left.sort((x, y) => x - y)).toEqual([T0 + 8, T0 + 9]);
    });

    it('writes a group whose text holds a NUL character (PostgreSQL text cannot)', async () => {
      const [a] = await two();
      await a.append([entry('member-a', T0, { outcome: 'BAD\u0000CODE' }), entry('member-a', T0 + 1)]);
      expect((await a.list('member-a', { limit: 10 })).map((row) => row.outcome)).toEqual([
        'ok',
        'BAD\uFFFDCODE',
      ]);
    });
  });
});
