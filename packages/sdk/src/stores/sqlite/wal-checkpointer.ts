import { Worker } from 'node:worker_threads';

/**
 * Copies the WAL back into the database file from a worker thread, so the event loop never waits
 * for it. SQLite's own checkpoint runs inside the COMMIT that crosses the threshold, on the
 * writer's thread: copying the pages and the two fsyncs synchronous=NORMAL asks for there were a
 * third of a COMMIT's time on disk (1.16 → 0.75 ms a commit on the throughput benchmark).
 *
 * The worker holds its own connection and runs PASSIVE checkpoints on a timer: they never take
 * the write lock, so the writer goes on meanwhile. The writer keeps an automatic checkpoint at a
 * higher threshold as a safety net (connection.ts), which costs little while the worker keeps up,
 * since only the frames not yet copied are left for it.
 */
export class WalCheckpointer {
  readonly #worker: Worker;
  #stopped = false;

  /**
   * `path`: the database file, already in WAL mode. Starts checkpointing every `everyMs`; its
   * connection waits `busyTimeoutMs` for a lock, as the store's does.
   */
  constructor(path: string, everyMs: number, busyTimeoutMs = 5_000) {
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, everyMs, busyTimeoutMs } });
    // The writer's safety net keeps the WAL bounded without us: never keep the process alive,
    // and a worker that failed only costs speed.
    this.#worker.unref();
    this.#worker.on('error', () => {});
  }

  /**
   * Stops the timer and closes the worker's connection, after a checkpoint in progress: call it
   * before the writer's own close, so that one finds itself the last connection and folds the WAL
   * in. Resolves once the thread has exited.
   */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const exited = new Promise((resolve) => this.#worker.once('exit', resolve));
    // Awaited by close(): the thread must keep the process alive until then, or a script ending
    // in `await store.close()` would exit with that promise unsettled.
    this.#worker.ref();
    this.#worker.postMessage('stop');
    await exited;
  }
}

// CommonJS, evaluated in the worker: no file to find next to this one, from src or from dist. A
// failed checkpoint (a disk error the writer will meet too) is tried again at the next tick, and
// so is opening: preparing reads the schema, which is busy while another process recovers the
// WAL after a crash; a worker that threw there had died, and checkpointed nothing ever again.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
let db = null;
let checkpoint = null;
const timer = setInterval(() => {
  try {
    db ??= new DatabaseSync(workerData.path, { timeout: workerData.busyTimeoutMs });
    checkpoint ??= db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
    checkpoint.get();
  } catch {}
}, workerData.everyMs);
parentPort.once('message', () => {
  clearInterval(timer);
  if (db !== null && db.isOpen) db.close();
  parentPort.close();
});
`;
