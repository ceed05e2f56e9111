import type { Migration } from '@prozvon/sdk/stores/sqlite';

/**
 * The app's migration set, beside the engine's in the leads' file. It is recorded in its own
 * table: each set refuses a database holding an id it does not know (a newer Prozvon migrated
 * it), so the two could not share `prozvon_migrations` whatever ids the app took. Ids follow the
 * engine's rules (migrations.ts in the SDK): never edited once released, applied in id order.
 */
export const APP_MIGRATIONS_TABLE = 'prozvon_app_migrations';

export const APP_MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'portals and their settings history',
    // Secrets are ciphertexts (secrets.ts): application_token, access_token, refresh_token, and
    // each value of the `secrets` JSON object. The tokens and their expiry are null together.
    sql: `
      CREATE TABLE portals (
        member_id TEXT PRIMARY KEY,
        portal_key TEXT NOT NULL UNIQUE,
        domain TEXT NOT NULL,
        server_endpoint TEXT NOT NULL,
        client_endpoint TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('installing', 'active', 'needs_reinstall', 'uninstalled')),
        application_token TEXT,
        access_token TEXT,
        refresh_token TEXT,
        token_expires_at INTEGER,
        token_version INTEGER NOT NULL,
        settings TEXT NOT NULL,
        secrets TEXT NOT NULL,
        settings_changed_by TEXT,
        settings_changed_at INTEGER,
        installed_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX portals_active ON portals (member_id) WHERE status = 'active';

      CREATE TABLE portal_settings_changes (
        id INTEGER PRIMARY KEY,
        member_id TEXT NOT NULL REFERENCES portals (member_id),
        at INTEGER NOT NULL,
        changed_by TEXT NOT NULL
      ) STRICT;
      CREATE INDEX portal_settings_changes_by_portal ON portal_settings_changes (member_id);
    `,
  },
  {
    id: 2,
    name: 'token refresh locks',
    // One row per portal being refreshed. A row whose \`until_ms\` has passed is free to take: its
    // holder crashed or overran. Not a column of \`portals\`: taking the lock must never touch a
    // row the install and settings writes read and rewrite.
    sql: `
      CREATE TABLE portal_refresh_locks (
        member_id TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        until_ms INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    // Id 10, not 3: branches in flight take ids in advance (the SDK's migrations.ts); any
    // unrecorded id is applied, in id order.
    id: 10,
    name: 'settings version',
    // Bumped by every settings write: a settings page sends back the version it read, and a
    // write at a stale one is refused (409) instead of undoing another admin's save.
    sql: `
      ALTER TABLE portals ADD COLUMN settings_version INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    // Id 30: ids are taken in advance by branches in flight (10 is the settings version's; the
    // next few are likely someone's), and any unrecorded id is applied, in id order.
    id: 30,
    name: 'the REST requests and answers of each portal',
    // Kept at least 3 days (Bitrix24's Market), secrets redacted before they are written
    // (rest-log/redact.ts). No reference to `portals`: support may need a portal's log after an
    // uninstall with CLEAN=1 deleted its row. Pruned by `at`, read per portal newest first.
    sql: `
      CREATE TABLE portal_rest_log (
        id INTEGER PRIMARY KEY,
        member_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        method TEXT NOT NULL,
        params TEXT NOT NULL,
        status INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        answer TEXT NOT NULL,
        duration_ms INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX portal_rest_log_by_portal ON portal_rest_log (member_id, id);
      CREATE INDEX portal_rest_log_by_time ON portal_rest_log (at);
    `,
  },
];
