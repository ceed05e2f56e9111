import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreBusyError } from '../../../src/ports/index.js';
import { SqliteLeadStore } from '../../../src/stores/sqlite/index.js';
import { newEffect, newLead, T0 } from '../lead-store-fixtures.js';
import type { HammerWorkerData, HammerWorkerResult } from './hammer-worker.js';
import { runWorker } from './run-worker.js';
import { useTempDir } from './temp-dir.js';

// Two engines on one SQLite file is a supported setup: a database busy for longer than the busy
// timeout (another process in a long write, one descheduled on a loaded machine while it holds
// the lock, a WAL recovery after a crash) is waited for, never thrown as `database is locked`.
// These tests hold the write lock from another connection for several busy timeouts.

const BUSY_TIMEOUT_MS = 20;

/**
 * Another thread takes the write lock of `file` and keeps it for `holdMs`: a holder the opening
 * store cannot wait for on its own thread (the constructor is synchronous).
 */
function holdLockInThread(file: string, holdMs: number): Promise<{ released: Promise<void> }> {
  const worker = new Worker(
    `const { workerData, parentPort } = require('node:worker_threads');
     const { DatabaseSync } = require('node:sqlite');
     const db = new DatabaseSync(workerData.file, { timeout: 5000 });
     db.exec('BEGIN IMMEDIATE');
     parentPort.postMessage('locked');
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
     db.exec('COMMIT');
     db.close();`,
    { eval: true, workerData: { file, holdMs } },
  );
  const released = new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', () => resolve());
  });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', () => resolve({ released }));
  });
}

const runHammer = (data: HammerWorkerData) =>
  runWorker<HammerWorkerData, HammerWorkerResult>('./hammer-worker.ts', data, { anyExit: true });

describe('a SqliteLeadStore on a database busy past its busy timeout', () => {
  const dir = useTempDir();
  const open: { close(): unknown }[] = [];
  afterEach(async () => {
    for (const item of open.splice(0).reverse()) await item.close();
  });

  it('opens (migrations included) once the lock is released, instead of failing', async () => {
    const file = join(dir(), 'leads.db');
    // A database already in WAL mode and migrated, as a second engine finds it.
    new SqliteLeadStore(file).close();
    const { released } = await holdLockInThread(file, 20 * BUSY_TIMEOUT_MS);

    const store = new SqliteLeadStore(file, { busyTimeoutMs: BUSY_TIMEOUT_MS, checkpointEveryMs: 0 });
    open.push(store);
    await released;
    expect(await store.insertLead(newLead('a'), [], [])).toMatchObject({ inserted: true });
  });

  it('creates a new file while another connection is creating it too', async () => {
    const file = join(dir(), 'fresh.db');
    // The holder makes the file, with the write lock, before any store has migrated it.
    const { released } = await holdLockInThread(file, 20 * BUSY_TIMEOUT_MS);
    const store = new SqliteLeadStore(file, { busyTimeoutMs: BUSY_TIMEOUT_MS, checkpointEveryMs: 0 });
    open.push(store);
    await released;
    expect((await store.stats()).unfinished).toBe(0);
  });

  it('a write waits for a lock held past the busy timeout, then commits', async () => {
    const file = join(dir(), 'leads.db');
    const store = new SqliteLeadStore(file, { busyTimeoutMs: BUSY_TIMEOUT_MS, checkpointEveryMs: 0 });
    open.push(store);
    const holder = new DatabaseSync(file);
    open.push(holder);
    holder.exec('BEGIN IMMEDIATE');
    setTimeout(() => holder.exec('COMMIT'), 20 * BUSY_TIMEOUT_MS);

    const written = await Promise.all([
      store.insertLead(newLead('a'), [newEffect('a', 'k1')], []),
      store.claimDueLeads(T0, 10, 'me', 1_000),
      store.recordAudit([]),
    ]);
    expect(written[0]).toMatchObject({ inserted: true });
    expect(await store.getEffects('a')).toHaveLength(1);
  });

  it('gives up with a typed StoreBusyError past its retry budget, and works again once free', async () => {
    const file = join(dir(), 'leads.db');
    const store = new SqliteLeadStore(file, {
      busyTimeoutMs: BUSY_TIMEOUT_MS,
      busyRetryMs: 5 * BUSY_TIMEOUT_MS,
      checkpointEveryMs: 0,
    });
    open.push(store);
    const holder = new DatabaseSync(file);
    open.push(holder);
    holder.exec('BEGIN IMMEDIATE');

    const failed = await store.insertLead(newLead('a'), [], []).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(StoreBusyError);
    expect(failed).toMatchObject({ code: 'busy' });
    expect((failed as StoreBusyError).retryAfterMs).toBeGreaterThan(0);

    holder.exec('COMMIT');
    expect(await store.insertLead(newLead('a'), [], [])).toMatchObject({ inserted: true });
  });

  it('four engines opening one new file at once and hammering it with a 1 ms busy timeout lose no write', async () => {
    const file = join(dir(), 'leads.db');
    const workers = 4;
    const barrier = new Int32Array(new SharedArrayBuffer(4));
    const results = await Promise.all(
      Array.from({ length: workers }, (_, n) =>
        runHammer({ file, name: `e${n}`, leads: 60, now: T0, barrier, workers }),
      ),
    );
    expect(results.flatMap((result) => result.errors)).toEqual([]);
    const check = new DatabaseSync(file, { readOnly: true, timeout: 5_000 });
    open.push(check);
    expect(check.prepare('SELECT COUNT(*) AS n FROM leads').get()?.n).toBe(workers * 60);
  }, 60_000);
});
