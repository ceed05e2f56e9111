import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { applyMigrations, openDatabase } from '@prozvon/sdk/stores/sqlite';
import { APP_MIGRATIONS, APP_MIGRATIONS_TABLE } from './portal-migrations.js';
import { type PortalRow, PortalRows } from './portal-rows.js';
import {
  EMPTY_SETTINGS,
  mergeSecrets,
  newPortalKey,
  type Portal,
  type PortalInstall,
  type PortalStatus,
  type PortalStore,
  type PortalTokens,
  type SettingsChange,
  type SettingsUpdate,
  type TokenUpdate,
} from './portal-store.js';
import type { SecretBox } from './secrets.js';

export interface SqlitePortalStoreOptions {
  /** Encrypts every secret before it is written, decrypts it when read. */
  readonly secrets: SecretBox;
  /** How long a write waits for another process's write lock. */
  readonly busyTimeoutMs?: number;
}

/**
 * The PortalStore on node:sqlite, in the leads' file (its own connection; WAL lets it share the
 * file with the engine's). Opening applies the app's migration set. Every write is one
 * BEGIN IMMEDIATE transaction, so a read inside it cannot be overtaken by another process.
 */
export class SqlitePortalStore implements PortalStore {
  readonly #db: DatabaseSync;
  readonly #rows: PortalRows;

  constructor(path: string, options: SqlitePortalStoreOptions) {
    this.#db = openDatabase(path, options.busyTimeoutMs ?? 5_000);
    try {
      applyMigrations(this.#db, APP_MIGRATIONS, undefined, APP_MIGRATIONS_TABLE);
    } catch (error) {
      this.#db.close();
      throw error;
    }
    this.#rows = new PortalRows(options.secrets);
  }

  async upsertInstall(install: PortalInstall): Promise<{ portal: Portal; created: boolean }> {
    return this.#immediate(() => {
      const known = this.#row('member_id', install.memberId);
      const params = {
        ...this.#rows.installParams(install),
        token_version: Number(known?.token_version ?? 0) + 1,
      };
      if (known) {
        this.#db
          .prepare(
            `UPDATE portals SET domain = :domain, server_endpoint = :server_endpoint,
               client_endpoint = :client_endpoint, status = :status, application_token = :application_token,
               access_token = :access_token, refresh_token = :refresh_token,
               token_expires_at = :token_expires_at, token_version = :token_version, updated_at = :at
             WHERE member_id = :member_id`,
          )
          .run(params);
      } else {
        this.#db
          .prepare(
            `INSERT INTO portals (member_id, portal_key, domain, server_endpoint, client_endpoint, status,
               application_token, access_token, refresh_token, token_expires_at, token_version,
               settings, secrets, installed_at, updated_at)
             VALUES (:member_id, :portal_key, :domain, :server_endpoint, :client_endpoint, :status,
               :application_token, :access_token, :refresh_token, :token_expires_at, :token_version,
               :settings, '{}', :at, :at)`,
          )
          .run({ ...params, portal_key: newPortalKey(), settings: JSON.stringify(EMPTY_SETTINGS) });
      }
      return { portal: this.#portal('member_id', install.memberId) as Portal, created: !known };
    });
  }

  async getByMemberId(memberId: string): Promise<Portal | null> {
    return this.#portal('member_id', memberId);
  }

  async getByPortalKey(portalKey: string): Promise<Portal | null> {
    return this.#portal('portal_key', portalKey);
  }

  async updateTokens(
    memberId: string,
    tokens: PortalTokens,
    expectedVersion: number,
    at: number,
  ): Promise<TokenUpdate> {
    // One statement: the version check and the write cannot be split by another writer.
    const { changes } = this.#db
      .prepare(
        `UPDATE portals SET access_token = :access_token, refresh_token = :refresh_token,
           token_expires_at = :token_expires_at, token_version = token_version + 1, updated_at = :at
         WHERE member_id = :member_id AND token_version = :expected`,
      )
      .run({
        ...this.#rows.tokenParams(memberId, tokens),
        member_id: memberId,
        expected: expectedVersion,
        at,
      });
    return changes === 0 ? { updated: false } : { updated: true, tokenVersion: expectedVersion + 1 };
  }

  async setStatus(
    memberId: string,
    status: PortalStatus,
    at: number,
    from?: readonly PortalStatus[],
  ): Promise<boolean> {
    // The guard is in the UPDATE itself: SQLite's write lock makes it one step across processes.
    const { changes } = this.#db
      .prepare(
        `UPDATE portals SET status = ?, updated_at = ?
         WHERE member_id = ? AND (? IS NULL OR status IN (SELECT value FROM json_each(?)))`,
      )
      .run(status, at, memberId, from === undefined ? null : 1, JSON.stringify(from ?? []));
    return changes > 0;
  }

  async updateSettings(memberId: string, update: SettingsUpdate, change: SettingsChange): Promise<boolean> {
    return this.#immediate(() => {
      // Read and written in one IMMEDIATE transaction: no other process writes in between.
      const known = this.#portal('member_id', memberId);
      if (!known) return false;
      if (update.expectedVersion !== undefined && known.settingsVersion !== update.expectedVersion)
        return false;
      const secrets = mergeSecrets(known.secrets, update.secrets);
      this.#db
        .prepare(
          `UPDATE portals SET settings = ?, secrets = ?, settings_changed_by = ?, settings_changed_at = ?,
             updated_at = ?, settings_version = settings_version + 1 WHERE member_id = ?`,
        )
        .run(
          JSON.stringify(update.settings ?? known.settings),
          this.#rows.secretsText(memberId, secrets),
          change.by,
          change.at,
          change.at,
          memberId,
        );
      this.#db
        .prepare('INSERT INTO portal_settings_changes (member_id, at, changed_by) VALUES (?, ?, ?)')
        .run(memberId, change.at, change.by);
      return true;
    });
  }

  async settingsHistory(memberId: string): Promise<readonly SettingsChange[]> {
    return this.#db
      .prepare('SELECT at, changed_by FROM portal_settings_changes WHERE member_id = ? ORDER BY id DESC')
      .all(memberId)
      .map((row) => ({ by: String(row.changed_by), at: Number(row.at) }));
  }

  async uninstall(memberId: string, at: number): Promise<boolean> {
    const { changes } = this.#db
      .prepare(
        `UPDATE portals SET status = 'uninstalled', application_token = NULL, access_token = NULL,
           refresh_token = NULL, token_expires_at = NULL, token_version = token_version + 1,
           secrets = '{}', updated_at = ?
         WHERE member_id = ?`,
      )
      .run(at, memberId);
    return changes > 0;
  }

  async listActive(): Promise<readonly Portal[]> {
    return this.#db
      .prepare(`SELECT * FROM portals WHERE status = 'active' ORDER BY member_id`)
      .all()
      .map((row) => this.#rows.toPortal(row as unknown as PortalRow));
  }

  async acquireRefreshLock(
    memberId: string,
    holder: string,
    untilMs: number,
    nowMs: number,
  ): Promise<boolean> {
    // One statement, so no other process slips between the check and the take: a free row is
    // inserted; a taken one is overwritten only when expired or already this holder's.
    const { changes } = this.#db
      .prepare(
        `INSERT INTO portal_refresh_locks (member_id, holder, until_ms) VALUES (:member_id, :holder, :until)
         ON CONFLICT (member_id) DO UPDATE SET holder = excluded.holder, until_ms = excluded.until_ms
         WHERE portal_refresh_locks.until_ms <= :now OR portal_refresh_locks.holder = excluded.holder`,
      )
      .run({ member_id: memberId, holder, until: untilMs, now: nowMs });
    return changes > 0;
  }

  async releaseRefreshLock(memberId: string, holder: string): Promise<boolean> {
    const { changes } = this.#db
      .prepare('DELETE FROM portal_refresh_locks WHERE member_id = ? AND holder = ?')
      .run(memberId, holder);
    return changes > 0;
  }

  /**
   * After a key rotation: writes every secret still under an older key again under the current
   * one, in one transaction, and returns how many portals changed. Then the old key may leave the
   * keyring. Not on the port: the memory store encrypts nothing.
   */
  async reencryptAll(): Promise<number> {
    return this.#immediate(() => {
      const update = this.#db.prepare(
        `UPDATE portals SET application_token = :application_token, access_token = :access_token,
           refresh_token = :refresh_token, secrets = :secrets WHERE member_id = :member_id`,
      );
      let changed = 0;
      for (const row of this.#db.prepare('SELECT * FROM portals').all() as unknown as PortalRow[]) {
        const next = this.#rows.reencrypted(row);
        if (!next) continue;
        update.run({ ...next, member_id: row.member_id });
        changed++;
      }
      return changed;
    });
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }

  #row(column: 'member_id' | 'portal_key', value: SQLInputValue): PortalRow | undefined {
    return this.#db.prepare(`SELECT * FROM portals WHERE ${column} = ?`).get(value) as PortalRow | undefined;
  }

  #portal(column: 'member_id' | 'portal_key', value: string): Portal | null {
    const row = this.#row(column, value);
    return row ? this.#rows.toPortal(row) : null;
  }

  #immediate<T>(fn: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw error;
    }
  }
}
