import type { PgMigration } from '@prozvon/store-postgres';

/**
 * The app's migration set on PostgreSQL, beside the engine's in the same schema and recorded in
 * its own table, as on SQLite (portal-migrations.ts). It starts from the SQLite set as it stands.
 * Settings and secrets are JSON kept as text: portal-rows.ts reads the same row shape from both
 * databases, and the secrets' values are ciphertexts anyway.
 */
export const APP_PG_MIGRATIONS: readonly PgMigration[] = [
  {
    id: 1,
    name: 'portals, their settings history and token refresh locks',
    sql: `
      CREATE TABLE portals (
        member_id text COLLATE "C" PRIMARY KEY,
        portal_key text NOT NULL UNIQUE,
        domain text NOT NULL,
        server_endpoint text NOT NULL,
        client_endpoint text NOT NULL,
        status text NOT NULL CHECK (status IN ('installing', 'active', 'needs_reinstall', 'uninstalled')),
        application_token text,
        access_token text,
        refresh_token text,
        token_expires_at bigint,
        token_version integer NOT NULL,
        settings text NOT NULL,
        secrets text NOT NULL,
        settings_changed_by text,
        settings_changed_at bigint,
        installed_at bigint NOT NULL,
        updated_at bigint NOT NULL
      );
      CREATE INDEX portals_active ON portals (member_id) WHERE status = 'active';

      CREATE TABLE portal_settings_changes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        member_id text COLLATE "C" NOT NULL REFERENCES portals (member_id),
        at bigint NOT NULL,
        changed_by text NOT NULL
      );
      CREATE INDEX portal_settings_changes_by_portal ON portal_settings_changes (member_id, id);

      -- One row per portal being refreshed; one whose until_ms has passed is free to take. Not a
      -- column of portals: taking the lock never touches a row installs and settings rewrite.
      CREATE TABLE portal_refresh_locks (
        member_id text PRIMARY KEY,
        holder text NOT NULL,
        until_ms bigint NOT NULL
      );
    `,
  },
  {
    id: 2,
    name: 'settings version',
    // Bumped by every settings write: a settings page sends back the version it read, and a write
    // at a stale one is refused (409) instead of undoing another admin's save (SQLite's id 10).
    sql: `
      ALTER TABLE portals ADD COLUMN settings_version integer NOT NULL DEFAULT 0;
    `,
  },
  {
    id: 3,
    name: 'the REST requests and answers of each portal',
    // As on SQLite (its id 30): kept at least 3 days, secrets redacted before they are written,
    // no reference to portals (support may need a log after an uninstall with CLEAN=1), pruned by
    // `at`, read per portal newest first. Every instance writes here, so support sees all of them.
    sql: `
      CREATE TABLE portal_rest_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        member_id text COLLATE "C" NOT NULL,
        at bigint NOT NULL,
        method text NOT NULL,
        params text NOT NULL,
        status integer NOT NULL,
        outcome text NOT NULL,
        answer text NOT NULL,
        duration_ms integer NOT NULL
      );
      CREATE INDEX portal_rest_log_by_portal ON portal_rest_log (member_id, id);
      CREATE INDEX portal_rest_log_by_time ON portal_rest_log (at);
    `,
  },
  {
    id: 4,
    name: "each portal's Bitrix24 request budget",
    // One row per portal: the theoretical arrival time of its next request (GCRA), in ms of the
    // database's clock, moved on by every instance's every request (budget/). UNLOGGED: rewritten
    // a few times a second and worth nothing after a crash (a lost row is made again, the portal's
    // bucket having drained meanwhile), so it need not cost WAL.
    sql: `
      CREATE UNLOGGED TABLE portal_request_budgets (
        member_id text COLLATE "C" PRIMARY KEY,
        tat_ms bigint NOT NULL
      );
    `,
  },
];
