import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { SettingsError } from '../../config/settings-error.js';

// Looked up when a database opens, not imported: `node:sqlite` is missing before Node 22.13, and an
// import of it fails while the module graph links, before runtime/require-node.ts can say which
// Node is needed.
const sqlite = () => process.getBuiltinModule('node:sqlite');

import { retryBusySync } from './busy-retry.js';

/**
 * Opens a SQLite database tuned for the engine: WAL (readers never block the writer),
 * synchronous=NORMAL (no fsync per commit: a commit survives a process crash, `kill -9`
 * included, and only an OS crash or power cut can lose the last ones; STACK.md measured ~78,000
 * autocommit inserts/s this way), a busy timeout so a second process waits for the write lock
 * instead of failing, and foreign keys enforced.
 *
 * temp_store=MEMORY keeps statement and savepoint journals in memory: past 64 KiB they spilled to
 * a temporary file on disk, which held a third of a lifecycle's CPU on the throughput benchmark
 * while every write of a group commit ran in a savepoint (1.33 → 0.9 ms). Such a journal only
 * serves a rollback inside the transaction, so keeping it in memory changes nothing a crash
 * leaves behind.
 */
export function openDatabase(path: string, busyTimeoutMs: number, busyRetryMs = 60_000): DatabaseSync {
  // Switching a file another process is creating to WAL fails at once, busy timeout or not: the
  // open is tried again as a whole.
  return retryBusySync(() => openOnce(path, busyTimeoutMs), busyRetryMs);
}

function openOnce(path: string, busyTimeoutMs: number): DatabaseSync {
  // `timeout` is SQLite's busy_timeout (PRAGMA busy_timeout reads it back).
  const db = create(path, busyTimeoutMs);
  try {
    // An in-memory database has no WAL and answers 'memory'; nothing else to share it anyway.
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA temp_store = MEMORY');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** `new DatabaseSync`, with SQLite's bare "unable to open database file" turned into which file. */
function create(path: string, busyTimeoutMs: number): DatabaseSync {
  try {
    return new (sqlite().DatabaseSync)(path, { enableForeignKeyConstraints: true, timeout: busyTimeoutMs });
  } catch (error) {
    // SQLITE_CANTOPEN: a missing directory (SQLite creates the file, never its directory), or one
    // this process may not write to.
    if ((error as { errcode?: unknown }).errcode !== 14) throw error;
    const directory = dirname(resolve(path));
    const why = existsSync(directory)
      ? `SQLite cannot open or create it there (${(error as Error).message}); can this process write to ${directory}?`
      : `its directory ${directory} does not exist`;
    throw new SettingsError(SOURCE, [{ field: 'path', message: `cannot open ${path}: ${why}` }]);
  }
}

/** Names the store in its settings errors, as a shop imports it. */
export const SOURCE = '@prozvon/sdk/stores/sqlite';

/**
 * Runs `fn` in a BEGIN IMMEDIATE transaction: the write lock is taken up front, so a read made
 * inside cannot be invalidated by another process's write before ours (no SQLITE_BUSY upgrade
 * deadlock, no lost update). `fn` is synchronous, so nothing else in this process interleaves.
 * A busy failure (BEGIN past the busy timeout) leaves nothing behind: the caller may retry it.
 */
export function immediate<T>(db: DatabaseSync, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    // Some errors (a full disk) end the transaction by themselves; do not mask them.
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
