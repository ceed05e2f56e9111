import { applyPgMigrations, createPgPool } from '@prozvon/store-postgres';
import { APP_MIGRATIONS_TABLE } from './portal-migrations.js';
import { APP_PG_MIGRATIONS } from './postgres-portal-migrations.js';

export type AppPool = ReturnType<typeof createPgPool>;

/**
 * A pool of the app's own on PostgreSQL (portals, REST log, request budget), its connections named
 * `applicationName` in pg_stat_activity, with the app's migration set applied under its advisory
 * lock (whichever opens first migrates; the others find it done). Closed again if that fails.
 */
export async function openAppPool(
  options: { readonly url: string; readonly schema?: string; readonly poolSize?: number },
  applicationName: string,
  defaultSize: number,
): Promise<AppPool> {
  const schema = options.schema ?? null;
  const pool = createPgPool({
    url: options.url,
    schema,
    max: options.poolSize ?? defaultSize,
    applicationName,
  });
  try {
    await applyPgMigrations(pool, { migrations: APP_PG_MIGRATIONS, table: APP_MIGRATIONS_TABLE, schema });
  } catch (error) {
    await pool.end();
    throw error;
  }
  return pool;
}
