// @prozvon/sdk/stores/sqlite: the embedded LeadStore on node:sqlite, a subpath so that importing
// the SDK does not load node:sqlite for users who bring PostgreSQL or their own store.
import '../../runtime/require-node.js';

export { openDatabase } from './connection.js';
export { applyMigrations, MIGRATIONS, MIGRATIONS_TABLE, type Migration } from './migrations.js';
export { SqliteLeadStore, type SqliteLeadStoreOptions } from './sqlite-lead-store.js';
