// One "process" of the counters test: a worker thread with its own SqliteLeadStore on the shared
// file, counting toward one limit as fast as it can. Plain Node 24, like claim-worker.ts.
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

registerHooks({
  resolve(specifier, context, next) {
    if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      const source = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
      if (existsSync(fileURLToPath(source))) return next(source.href, context);
    }
    return next(specifier, context);
  },
});

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
const storeModule = new URL('../../../src/stores/sqlite/index.ts', import.meta.url).href;
const { SqliteLeadStore } = (await import(
  storeModule
)) as typeof import('../../../src/stores/sqlite/index.js');
const store = new SqliteLeadStore(file);

Atomics.add(barrier, 0, 1);
while (Atomics.load(barrier, 0) < workers) Atomics.wait(barrier, 0, Atomics.load(barrier, 0), 5);

let counted = 0;
for (let i = 0; i < tries; i++) {
  const result = await store.countHits([{ key: 'shared', by: 1, limit, until: now + 3_600_000 }], now);
  if (result.counted) counted++;
}
await store.close();
parentPort?.postMessage(counted);
