import type { RestLog, RestLogEntry, RestLogQuery, RestLogRow } from './rest-log.js';

/** The RestLog in memory: for tests, and a program without a database. */
export class MemoryRestLog implements RestLog {
  #rows: RestLogRow[] = [];
  #nextId = 1;

  async append(entries: readonly RestLogEntry[]): Promise<void> {
    for (const entry of entries) this.#rows.push({ ...entry, id: this.#nextId++ });
  }

  async list(memberId: string, query: RestLogQuery): Promise<RestLogRow[]> {
    const found: RestLogRow[] = [];
    for (let i = this.#rows.length - 1; i >= 0 && found.length < query.limit; i--) {
      const row = this.#rows[i] as RestLogRow;
      if (row.memberId === memberId && (query.beforeId === undefined || row.id < query.beforeId))
        found.push(row);
    }
    return found;
  }

  async prune(before: number, limit: number): Promise<number> {
    const doomed = new Set(
      this.#rows
        .filter((row) => row.at < before)
        .sort((a, b) => a.at - b.at || a.id - b.id)
        .slice(0, limit)
        .map((row) => row.id),
    );
    this.#rows = this.#rows.filter((row) => !doomed.has(row.id));
    return doomed.size;
  }

  async close(): Promise<void> {}
}
