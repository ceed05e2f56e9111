import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { applyMigrations, openDatabase } from '@prozvon/sdk/stores/sqlite';
import { APP_MIGRATIONS, APP_MIGRATIONS_TABLE } from '../portals/portal-migrations.js';
import type { RestLog, RestLogEntry, RestLogQuery, RestLogRow } from './rest-log.js';

/**
 * The RestLog in the app's SQLite file (the leads' and portals'), on a connection of its own.
 * Appends come in groups (rest-log-writer.ts) so that a burst costs a transaction per group, not
 * per request, beside the engine's writes; pruning deletes a bounded number of rows per call, so
 * it never holds the write lock for long.
 */
export class SqliteRestLog implements RestLog {
  readonly #db: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #prune: StatementSync;

  constructor(path: string, options: { busyTimeoutMs?: number } = {}) {
    this.#db = openDatabase(path, options.busyTimeoutMs ?? 5_000);
    try {
      applyMigrations(this.#db, APP_MIGRATIONS, undefined, APP_MIGRATIONS_TABLE);
    } catch (error) {
      this.#db.close();
      throw error;
    }
    this.#insert = this.#db.prepare(
      `INSERT INTO portal_rest_log (member_id, at, method, params, status, outcome, answer, duration_ms)
       VALUES (:member_id, :at, :method, :params, :status, :outcome, :answer, :duration_ms)`,
    );
    this.#prune = this.#db.prepare(
      `DELETE FROM portal_rest_log WHERE id IN
         (SELECT id FROM portal_rest_log WHERE at < :before ORDER BY at LIMIT :limit)`,
    );
  }

  async append(entries: readonly RestLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      for (const entry of entries) {
        this.#insert.run({
          member_id: entry.memberId,
          at: entry.at,
          method: entry.method,
          params: entry.params,
          status: entry.status,
          outcome: entry.outcome,
          answer: entry.answer,
          duration_ms: Math.round(entry.durationMs),
        });
      }
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  async list(memberId: string, query: RestLogQuery): Promise<RestLogRow[]> {
    const rows = this.#db
      .prepare(
        `SELECT id, member_id, at, method, params, status, outcome, answer, duration_ms
         FROM portal_rest_log WHERE member_id = :member_id AND id < :before_id
         ORDER BY id DESC LIMIT :limit`,
      )
      .all({
        member_id: memberId,
        before_id: query.beforeId ?? Number.MAX_SAFE_INTEGER,
        limit: query.limit,
      });
    return rows.map((row) => ({
      id: Number(row.id),
      memberId: String(row.member_id),
      at: Number(row.at),
      method: String(row.method),
      params: String(row.params),
      status: Number(row.status),
      outcome: String(row.outcome),
      answer: String(row.answer),
      durationMs: Number(row.duration_ms),
    }));
  }

  async prune(before: number, limit: number): Promise<number> {
    return Number(this.#prune.run({ before, limit }).changes);
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }
}
