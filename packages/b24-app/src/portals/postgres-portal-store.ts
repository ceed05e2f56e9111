import { type AppPool, openAppPool } from './open-app-pool.js';
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

export interface PostgresPortalStoreOptions {
  /** `postgres://…`: the database of the leads (PROZVON_DATABASE_URL). */
  readonly url: string;
  /** The schema of the tables (the leads' too); absent: the server's search_path. */
  readonly schema?: string;
  /** Encrypts every secret before it is written, decrypts it when read. */
  readonly secrets: SecretBox;
  readonly poolSize?: number;
}

type Pool = AppPool;
/** A pool, or a connection inside a transaction. */
type Queryable = Pick<Pool, 'query'>;

/**
 * The PortalStore on PostgreSQL, beside the leads, for several app instances on one database.
 * Each write that reads first does so under a row lock (`FOR UPDATE`) or in one statement (the
 * install upsert, the token compare-and-set, the refresh lock), so two instances never overwrite
 * each other's install, tokens or settings. Open it with `PostgresPortalStore.open`.
 */
export class PostgresPortalStore implements PortalStore {
  readonly #pool: Pool;
  readonly #rows: PortalRows;

  private constructor(pool: Pool, rows: PortalRows) {
    this.#pool = pool;
    this.#rows = rows;
  }

  /** Connects and applies the app's migration set under an advisory lock. */
  static async open(options: PostgresPortalStoreOptions): Promise<PostgresPortalStore> {
    const pool = await openAppPool(options, 'prozvon-portals', 4);
    return new PostgresPortalStore(pool, new PortalRows(options.secrets));
  }

  async upsertInstall(install: PortalInstall): Promise<{ portal: Portal; created: boolean }> {
    const p = this.#rows.installParams(install);
    // One statement: of two installs of one portal at once, one inserts and the other updates.
    // `xmax = 0` holds for a row this statement inserted, not one it updated.
    const { rows } = await this.#pool.query(
      `INSERT INTO portals (member_id, portal_key, domain, server_endpoint, client_endpoint, status,
         application_token, access_token, refresh_token, token_expires_at, token_version,
         settings, secrets, installed_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, '{}', $12, $12)
       ON CONFLICT (member_id) DO UPDATE SET
         domain = excluded.domain, server_endpoint = excluded.server_endpoint,
         client_endpoint = excluded.client_endpoint, status = excluded.status,
         application_token = excluded.application_token, access_token = excluded.access_token,
         refresh_token = excluded.refresh_token, token_expires_at = excluded.token_expires_at,
         token_version = portals.token_version + 1, updated_at = excluded.updated_at
       RETURNING *, (xmax = 0) AS created`,
      [
        p.member_id,
        newPortalKey(),
        p.domain,
        p.server_endpoint,
        p.client_endpoint,
        p.status,
        p.application_token,
        p.access_token,
        p.refresh_token,
        p.token_expires_at,
        JSON.stringify(EMPTY_SETTINGS),
        p.at,
      ],
    );
    const row = rows[0] as PortalRow & { created: boolean };
    return { portal: this.#rows.toPortal(row), created: row.created };
  }

  async getByMemberId(memberId: string): Promise<Portal | null> {
    return this.#portal(this.#pool, 'member_id', memberId);
  }

  async getByPortalKey(portalKey: string): Promise<Portal | null> {
    return this.#portal(this.#pool, 'portal_key', portalKey);
  }

  async updateTokens(
    memberId: string,
    tokens: PortalTokens,
    expectedVersion: number,
    at: number,
  ): Promise<TokenUpdate> {
    // One statement: the version check and the write cannot be split by another writer.
    const t = this.#rows.tokenParams(memberId, tokens);
    const { rowCount } = await this.#pool.query(
      `UPDATE portals SET access_token = $2, refresh_token = $3, token_expires_at = $4,
         token_version = token_version + 1, updated_at = $5
       WHERE member_id = $1 AND token_version = $6`,
      [memberId, t.access_token, t.refresh_token, t.token_expires_at, at, expectedVersion],
    );
    return rowCount === 0 ? { updated: false } : { updated: true, tokenVersion: expectedVersion + 1 };
  }

  async setStatus(
    memberId: string,
    status: PortalStatus,
    at: number,
    from?: readonly PortalStatus[],
  ): Promise<boolean> {
    // The guard is in the UPDATE: the row lock it takes makes it one step across instances, and
    // the second of two waits, then finds the status already changed.
    const { rowCount } = await this.#pool.query(
      `UPDATE portals SET status = $2, updated_at = $3
       WHERE member_id = $1 AND ($4::text[] IS NULL OR status = ANY($4::text[]))`,
      [memberId, status, at, from === undefined ? null : [...from]],
    );
    return (rowCount ?? 0) > 0;
  }

  async updateSettings(memberId: string, update: SettingsUpdate, change: SettingsChange): Promise<boolean> {
    return this.#transaction(async (tx) => {
      // Locked: another instance's settings write waits, so neither loses the other's secrets,
      // and the version check and the write are one step.
      const known = await this.#portal(tx, 'member_id', memberId, 'FOR UPDATE');
      if (!known) return false;
      if (update.expectedVersion !== undefined && known.settingsVersion !== update.expectedVersion)
        return false;
      const secrets = mergeSecrets(known.secrets, update.secrets);
      await tx.query(
        `UPDATE portals SET settings = $2, secrets = $3, settings_changed_by = $4, settings_changed_at = $5,
           updated_at = $5, settings_version = settings_version + 1 WHERE member_id = $1`,
        [
          memberId,
          JSON.stringify(update.settings ?? known.settings),
          this.#rows.secretsText(memberId, secrets),
          change.by,
          change.at,
        ],
      );
      await tx.query('INSERT INTO portal_settings_changes (member_id, at, changed_by) VALUES ($1, $2, $3)', [
        memberId,
        change.at,
        change.by,
      ]);
      return true;
    });
  }

  async settingsHistory(memberId: string): Promise<readonly SettingsChange[]> {
    const { rows } = await this.#pool.query(
      'SELECT at, changed_by FROM portal_settings_changes WHERE member_id = $1 ORDER BY id DESC',
      [memberId],
    );
    return rows.map((row) => ({ by: String(row.changed_by), at: Number(row.at) }));
  }

  async uninstall(memberId: string, at: number): Promise<boolean> {
    const { rowCount } = await this.#pool.query(
      `UPDATE portals SET status = 'uninstalled', application_token = NULL, access_token = NULL,
         refresh_token = NULL, token_expires_at = NULL, token_version = token_version + 1,
         secrets = '{}', updated_at = $2
       WHERE member_id = $1`,
      [memberId, at],
    );
    return (rowCount ?? 0) > 0;
  }

  async listActive(): Promise<readonly Portal[]> {
    const { rows } = await this.#pool.query(
      `SELECT * FROM portals WHERE status = 'active' ORDER BY member_id`,
    );
    return rows.map((row) => this.#rows.toPortal(row as PortalRow));
  }

  async acquireRefreshLock(
    memberId: string,
    holder: string,
    untilMs: number,
    nowMs: number,
  ): Promise<boolean> {
    // One statement, so no other instance slips between the check and the take: a free row is
    // inserted; a taken one is overwritten only when expired or already this holder's.
    const { rowCount } = await this.#pool.query(
      `INSERT INTO portal_refresh_locks (member_id, holder, until_ms) VALUES ($1, $2, $3)
       ON CONFLICT (member_id) DO UPDATE SET holder = excluded.holder, until_ms = excluded.until_ms
       WHERE portal_refresh_locks.until_ms <= $4 OR portal_refresh_locks.holder = excluded.holder`,
      [memberId, holder, untilMs, nowMs],
    );
    return (rowCount ?? 0) > 0;
  }

  async releaseRefreshLock(memberId: string, holder: string): Promise<boolean> {
    const { rowCount } = await this.#pool.query(
      'DELETE FROM portal_refresh_locks WHERE member_id = $1 AND holder = $2',
      [memberId, holder],
    );
    return (rowCount ?? 0) > 0;
  }

  /**
   * After a key rotation: writes every secret still under an older key again under the current
   * one, in one transaction, and returns how many portals changed (as SqlitePortalStore's).
   */
  async reencryptAll(): Promise<number> {
    return this.#transaction(async (tx) => {
      const { rows } = await tx.query('SELECT * FROM portals ORDER BY member_id FOR UPDATE');
      let changed = 0;
      for (const row of rows as PortalRow[]) {
        const next = this.#rows.reencrypted(row);
        if (!next) continue;
        await tx.query(
          `UPDATE portals SET application_token = $2, access_token = $3, refresh_token = $4, secrets = $5
           WHERE member_id = $1`,
          [row.member_id, next.application_token, next.access_token, next.refresh_token, next.secrets],
        );
        changed++;
      }
      return changed;
    });
  }

  async close(): Promise<void> {
    if (!this.#pool.ended) await this.#pool.end();
  }

  async #portal(
    on: Queryable,
    column: 'member_id' | 'portal_key',
    value: string,
    lock: '' | 'FOR UPDATE' = '',
  ): Promise<Portal | null> {
    const { rows } = await on.query(`SELECT * FROM portals WHERE ${column} = $1 ${lock}`, [value]);
    const row = rows[0] as PortalRow | undefined;
    return row ? this.#rows.toPortal(row) : null;
  }

  async #transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
