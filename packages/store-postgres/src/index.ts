// @prozvon/store-postgres: the LeadStore on PostgreSQL (`PROZVON_DATABASE_URL=postgres://…`), a
// package of its own so that the SDK does not depend on a PostgreSQL driver.

export { type DatabaseSetting, databaseFromEnv, leadStoreFromEnv } from './from-env.js';
export { applyPgMigrations, PG_MIGRATIONS, PG_MIGRATIONS_TABLE, type PgMigration } from './migrations.js';
export { createPgPool, type PgPoolSettings } from './pool.js';
export { PostgresLeadStore, type PostgresLeadStoreOptions } from './postgres-lead-store.js';
