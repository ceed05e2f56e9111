// One "process" of the counters test: a worker thread with its own SqliteLeadStore on the shared
// file, counting toward one limit as fast as it can. Plain Node 24, like claim-worker.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { importSqliteStore, waitForAll } from './worker-prelude.ts';

export interface CounterWorkerData {
  readonly file: string;
  readonly now: number;
  readonly tries: number;
  readonly limit: number;
  /** Every worker adds one and waits for all, so they count at the same time. */
  readonly barrier: Int32Array;
  readonly workers: number;
}

const { file, now, tries, limit, barrier, workers } = workerData as CounterWorkerData;
const { SqliteLeadStore } = await importSqliteStore();
const store = new SqliteLeadStore(file);

waitForAll(barrier, workers, 5);

let counted = 0;
for (let i = 0; i < tries; i++) {
  const result = await store.countHits([{ key: 'shared', by: 1, limit, until: now + 3_600_000 }], now);
  if (result.counted) counted++;
}
await store.close();
parentPort?.postMessage(counted);
