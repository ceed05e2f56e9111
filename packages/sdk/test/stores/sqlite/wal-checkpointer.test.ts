import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { SqliteLeadStore } from '../../../src/stores/sqlite/index.js';
import { auditEntry, newLead, T0 } from '../lead-store-fixtures.js';
import { useTempDir } from './temp-dir.js';

/** Some hundreds of WAL pages: below SQLite's own threshold (1,000) and the writer's net. */
async function writeLeads(store: SqliteLeadStore, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const id = `l${i}`;
    await store.insertLead(newLead(id, { snapshot: { note: 'x'.repeat(2_000) } }), [], [auditEntry(id, i)]);
  }
}

const size = (file: string) => statSync(file).size;

async function waitFor(condition: () => boolean, ms: number): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until; await sleep(10)) if (condition()) return true;
  return condition();
}

describe('the WAL checkpointer of a SqliteLeadStore on a file', () => {
  const dir = useTempDir();

  it('copies committed pages into the database file from its own thread', async () => {
    const file = join(dir(), 'leads.db');
    const store = new SqliteLeadStore(file, { checkpointEveryMs: 10 });
    const before = size(file);
    await writeLeads(store, 60);

    expect(await waitFor(() => size(file) > before + 60 * 2_000, 5_000)).toBe(true);
    await store.close();
  });

  it('leaves the pages in the WAL without it, below SQLite’s own threshold', async () => {
    const file = join(dir(), 'leads.db');
    const store = new SqliteLeadStore(file, { checkpointEveryMs: 0 });
    const before = size(file);
    await writeLeads(store, 60);
    await sleep(200);

    expect(size(file)).toBe(before);
    expect(size(`${file}-wal`)).toBeGreaterThan(60 * 2_000);
    await store.close();
  });

  it('stops with the store: the writer closes last, folds the WAL in and removes it', async () => {
    const file = join(dir(), 'leads.db');
    const store = new SqliteLeadStore(file, { checkpointEveryMs: 10 });
    await writeLeads(store, 50);
    await store.close();

    expect(existsSync(`${file}-wal`)).toBe(false);
    const db = new DatabaseSync(file);
    expect(db.prepare('SELECT COUNT(*) AS n FROM leads').get()?.n).toBe(50);
    db.close();
  });

  it('is not started for an in-memory database, which has no WAL', async () => {
    const store = new SqliteLeadStore(':memory:', { checkpointEveryMs: 10 });
    await store.insertLead(newLead('l1', { wakeAt: T0 }), [], []);
    expect(await store.nextDueAt()).toBe(T0);
    await store.close();
  });
});
