// One engine of the busy-database test: a worker thread that opens its own SqliteLeadStore on the
// shared file at the same moment as the others (creation, WAL mode and migrations race), then
// writes, claims and reads as fast as it can with a busy timeout far below the others' writes.
// Plain Node 24 (types stripped), outside Vite, like claim-worker.ts (worker-prelude.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { importSqliteStore, waitForAll } from './worker-prelude.ts';

export interface HammerWorkerData {
  readonly file: string;
  readonly name: string;
  readonly leads: number;
  readonly now: number;
  /** Every worker adds one and waits for all, so they open the file at the same time. */
  readonly barrier: Int32Array;
  readonly workers: number;
}

export interface HammerWorkerResult {
  written: number;
  readonly errors: string[];
}

const { file, name, leads, now, barrier, workers } = workerData as HammerWorkerData;
const { SqliteLeadStore } = await importSqliteStore();
const { newEffect, newLead } = (await import(
  new URL('../lead-store-fixtures.ts', import.meta.url).href
)) as typeof import('../lead-store-fixtures.js');

waitForAll(barrier, workers, 1);

const result: HammerWorkerResult = { written: 0, errors: [] };
const failed = (error: unknown) => result.errors.push(`${name}: ${(error as Error).stack ?? String(error)}`);
try {
  const store = new SqliteLeadStore(file, { busyTimeoutMs: 1, checkpointEveryMs: 2 });
  await store.migrate();
  for (let i = 0; i < leads; i++) {
    const id = `${name}-${i}`;
    await store.insertLead(newLead(id, { wakeAt: now }), [newEffect(id, `${id}:k`)], []).catch(failed);
    await Promise.all([
      store.claimDueLeads(now, 5, name, 1_000),
      store.claimEffects(now, 5, name, 1_000),
      store.nextDueAt(),
      store.getLead(id),
      store.stats(),
    ]).catch(failed);
    result.written++;
  }
  await store.close();
} catch (error) {
  failed(error);
}
parentPort?.postMessage(result);
