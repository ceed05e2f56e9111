import { type AppPool, openAppPool } from '../portals/open-app-pool.js';
import type { RestLog, RestLogEntry, RestLogQuery, RestLogRow } from './rest-log.js';

export interface PostgresRestLogOptions {
  /** `postgres://…`: the database of the leads and portals (PROZVON_DATABASE_URL). */
  readonly url: string;
  /** Their schema; absent: the server's search_path. */
  readonly schema?: string;
  readonly poolSize?: number;
}

type Pool = AppPool;

/**
 * The RestLog on PostgreSQL, beside the portals, for several app instances on one database: each
 * writes its own requests, support reads every instance's. A group of entries (rest-log-writer.ts)
 * is one statement; pruning deletes a bounded number of rows per call, and two instances pruning
 * at once only delete a row once. Open it with `PostgresRestLog.open`.
 */
export class PostgresRestLog implements RestLog {
  readonly #pool: Pool;

  private constructor(pool: Pool) {
    this.#pool = pool;
  }

  /** Connects and applies the app's migration set (the portal store's) under its advisory lock. */
  static async open(options: PostgresRestLogOptions): Promise<PostgresRestLog> {
    const pool = await openAppPool(options, 'prozvon-rest-log', 2);
    return new PostgresRestLog(pool);
  }

  async append(entries: readonly RestLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    // One statement for the group: all of it is written or none.
    await this.#pool.query(
      `INSERT INTO portal_rest_log (member_id, at, method, params, status, outcome, answer, duration_ms)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::integer[],
                            $6::text[], $7::text[], $8::integer[])`,
      [
        entries.map((entry) => text(entry.memberId)),
        entries.map((entry) => entry.at),
        entries.map((entry) => text(entry.method)),
        entries.map((entry) => text(entry.params)),
        entries.map((entry) => entry.status),
        entries.map((entry) => text(entry.outcome)),
        entries.map((entry) => text(entry.answer)),
        entries.map((entry) => Math.round(entry.durationMs)),
      ],
    );
  }

  async list(memberId: string, query: RestLogQuery): Promise<RestLogRow[]> {
    const { rows } = await this.#pool.query(
      `SELECT id, member_id, at, method, params, status, outcome, answer, duration_ms
       FROM portal_rest_log WHERE member_id = $1 AND id < $2
       ORDER BY id DESC LIMIT $3`,
      [memberId, query.beforeId ?? Number.MAX_SAFE_INTEGER, query.limit],
    );
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
    const { rowCount } = await this.#pool.query(
      `DELETE FROM portal_rest_log WHERE id IN
         (SELECT id FROM portal_rest_log WHERE at < $1 ORDER BY at, id LIMIT $2)`,
      [before, limit],
    );
    return rowCount ?? 0;
  }

  async close(): Promise<void> {
    if (!this.#pool.ended) await this.#pool.end();
  }
}

/**
 * PostgreSQL's text holds no NUL character, which a portal's error code or a method name decoded
 * from a URL might carry; one would fail the whole group's insert.
 */
function text(value: string): string {
  return value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
}
