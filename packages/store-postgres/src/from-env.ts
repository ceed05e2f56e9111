import { type Env, envReader } from '@prozvon/sdk';
import { SqliteLeadStore } from '@prozvon/sdk/stores/sqlite';
import { PostgresLeadStore, SOURCE } from './postgres-lead-store.js';

/** Where the leads live, as the environment says: a PostgreSQL URL, or null for SQLite. */
export interface DatabaseSetting {
  readonly url: string | null;
  readonly schema: string | null;
}

/**
 * Reads `PROZVON_DATABASE_URL` (`postgres://…`; unset: SQLite stays the store) and
 * `PROZVON_DATABASE_SCHEMA` (optional), naming a wrong one in the error (never its value: a URL
 * may hold a password).
 */
export function databaseFromEnv(env: Env = process.env): DatabaseSetting {
  const read = envReader(SOURCE, env);
  const url = read.optional('PROZVON_DATABASE_URL') ?? null;
  if (url !== null && !/^postgres(ql)?:\/\//.test(url))
    read.fail('PROZVON_DATABASE_URL', 'must be a postgres:// URL (unset: SQLite)');
  const schema = read.optional('PROZVON_DATABASE_SCHEMA') ?? null;
  if (schema !== null && !/^[a-z_][a-z0-9_]*$/.test(schema))
    read.fail('PROZVON_DATABASE_SCHEMA', 'must be a plain lower-case name');
  return read.done({ url, schema });
}

/**
 * The LeadStore the environment chooses: PostgreSQL when `PROZVON_DATABASE_URL` is set (migrated
 * before this resolves), else SQLite at `sqlitePath` (the default, one file, nothing to run).
 */
export async function leadStoreFromEnv(
  env: Env = process.env,
  options: { sqlitePath: string },
): Promise<PostgresLeadStore | SqliteLeadStore> {
  const { url, schema } = databaseFromEnv(env);
  if (url === null) return new SqliteLeadStore(options.sqlitePath);
  return PostgresLeadStore.open({ url, ...(schema === null ? {} : { schema }) });
}
