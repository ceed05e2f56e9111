// One "process" of the two-store test: a worker thread with its own SqliteLeadStore on the shared
// file. It runs as plain Node 24 (types stripped), outside Vite: worker-prelude.ts maps the
// sources' `.js` imports to their `.ts` files before the store loads.
import { parentPort, workerData } from 'node:worker_threads';
import { importSqliteStore, waitForAll } from './worker-prelude.ts';

export interface ClaimWorkerData {
  readonly file: string;
  readonly owner: string;
  readonly now: number;
  /** Every worker adds one and waits for all, so they claim at the same time. */
  readonly barrier: Int32Array;
  readonly workers: number;
}

export interface ClaimWorkerResult {
  readonly leads: string[];
  readonly effects: number[];
}

const { file, owner, now, barrier, workers } = workerData as ClaimWorkerData;
const { SqliteLeadStore } = await importSqliteStore();
const store = new SqliteLeadStore(file);
const pause = new Int32Array(new SharedArrayBuffer(4));

waitForAll(barrier, workers, 5);

const result: ClaimWorkerResult = { leads: [], effects: [] };
for (;;) {
  const leads = await store.claimDueLeads(now, 10, owner, 3_600_000);
  const effects = await store.claimEffects(now, 10, owner, 3_600_000);
  if (leads.length === 0 && effects.length === 0) break;
  // Performing the work happens outside any transaction: the other worker gets the lock meanwhile.
  Atomics.wait(pause, 0, 0, 1);
  for (const lead of leads) {
    result.leads.push(lead.id);
    await store.updateLead(lead.id, (current) => ({
      ...current,
      wakeAt: null,
      finished: true,
      effects: [],
      audit: [],
    }));
  }
  for (const effect of effects) {
    result.effects.push(effect.id);
    await store.updateLead(effect.leadId, () => null, {
      completeEffect: { effectId: effect.id, status: 'done', result: { by: owner }, at: now },
    });
  }
}
await store.close();
parentPort?.postMessage(result);
