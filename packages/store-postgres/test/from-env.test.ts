import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteLeadStore } from '@prozvon/sdk/stores/sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseFromEnv, leadStoreFromEnv, PostgresLeadStore } from '../src/index.js';
import { postgres, useFreshSchema } from './support/postgres-schema.js';

const db = useFreshSchema();
const dir = mkdtempSync(join(tmpdir(), 'prozvon-from-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('PROZVON_DATABASE_URL', () => {
  it('unset: SQLite stays the store, at the path given', async () => {
    const store = await leadStoreFromEnv({}, { sqlitePath: join(dir, 'leads.db') });
    try {
      expect(store).toBeInstanceOf(SqliteLeadStore);
    } finally {
      await store.close();
    }
  });

  it('names a wrong setting without its value (a URL may hold a password)', () => {
    expect(() =>
      databaseFromEnv({ PROZVON_DATABASE_URL: 'mysql://u:secret@h/db', PROZVON_DATABASE_SCHEMA: 'A-B' }),
    ).toThrow(
      '@prozvon/store-postgres: PROZVON_DATABASE_URL: must be a postgres:// URL (unset: SQLite)\n' +
        '@prozvon/store-postgres: PROZVON_DATABASE_SCHEMA: must be a plain lower-case name',
    );
    expect(databaseFromEnv({ PROZVON_DATABASE_URL: ' ' })).toEqual({ url: null, schema: null });
  });

  it.skipIf(!postgres.found)(
    'postgres://…: the PostgreSQL store, migrated, in the schema given',
    async () => {
      const store = await leadStoreFromEnv(
        { PROZVON_DATABASE_URL: db.url(), PROZVON_DATABASE_SCHEMA: db.schema() },
        { sqlitePath: join(dir, 'unused.db') },
      );
      try {
        expect(store).toBeInstanceOf(PostgresLeadStore);
        expect(await store.nextDueAt()).toBeNull();
      } finally {
        await store.close();
      }
    },
  );
});
