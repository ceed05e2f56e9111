/**
 * One REST request the app sent to a portal and what came back, secrets redacted (redact.ts).
 * Bitrix24's Market asks an app to keep these for at least 3 days, and support reads them.
 */
export interface RestLogEntry {
  readonly memberId: string;
  /** When the request left (ms since the epoch). */
  readonly at: number;
  /** The REST method (`batch` for a batch: its commands are in `params`). */
  readonly method: string;
  /** The request's parameters as JSON, redacted and cut to a size. */
  readonly params: string;
  /** The HTTP status; 0 when no answer came (a refused connection, a timeout). */
  readonly status: number;
  /** `ok`, the portal's error code (`QUERY_LIMIT_EXCEEDED`, `expired_token`…) or the transport's. */
  readonly outcome: string;
  /** The answer's body as JSON, redacted and cut to a size; empty when none came. */
  readonly answer: string;
  readonly durationMs: number;
}

/** A stored entry; `id` grows with each append, so it pages newest first. */
export interface RestLogRow extends RestLogEntry {
  readonly id: number;
}

export interface RestLogQuery {
  /** At most this many, newest first. */
  readonly limit: number;
  /** Only rows older than this id (the previous page's last). */
  readonly beforeId?: number;
}

/** Where the portals' REST requests are kept: memory for tests, the app's database (SQLite or PostgreSQL) in the app. */
export interface RestLog {
  append(entries: readonly RestLogEntry[]): Promise<void>;
  /** One portal's rows only, newest first. */
  list(memberId: string, query: RestLogQuery): Promise<RestLogRow[]>;
  /** Deletes at most `limit` rows sent before `before`, oldest first; how many went. */
  prune(before: number, limit: number): Promise<number>;
  close(): Promise<void>;
}
