import pg from 'pg';
import { plainName } from './migrations.js';

const INT8_OID = 20;

/**
 * bigint columns (times in ms, ids, counts) as numbers: pg hands them back as strings by default,
 * since int8 may exceed 2^53. Ours never do (ms since the epoch, identity ids, row counts). Set on
 * this store's pool alone, not on pg's global type registry, which the host's own code may use.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export interface PgPoolSettings {
  readonly url: string;
  /** Every connection's search_path: the tables live there (created by the migrations). */
  readonly schema: string | null;
  readonly max: number;
  readonly applicationName: string;
  /**
   * This instance's id, every connection's `prozvon.instance`: the effects it queues are marked
   * with it (effects.queued_by, migration 14), and its claims take those first (TAKEOVER_MS).
   */
  readonly instance?: string;
}

/**
 * A pool whose connections read bigint as number and, with a schema, work in that schema: the lead
 * store's, and the one another store on the same database (the Bitrix24 app's portals) opens.
 */
export function createPgPool(settings: PgPoolSettings): pg.Pool {
  const schema = settings.schema === null ? null : plainName('schema', settings.schema);
  const instance = settings.instance === undefined ? undefined : plainName('instance', settings.instance);
  const options = [
    ...(schema === null ? [] : [`-c search_path=${schema}`]),
    ...(instance === undefined ? [] : [`-c prozvon.instance=${instance}`]),
  ];
  const pool = new pg.Pool({
    connectionString: settings.url,
    max: settings.max,
    application_name: settings.applicationName,
    types,
    // A write batch sends its jobs' statements without waiting for each answer (write-queue.ts).
    pipeline: true,
    ...(options.length === 0 ? {} : { options: options.join(' ') }),
  });
  // An idle connection the server dropped (a restart) must not crash the process: the pool
  // discards it and the next query opens another.
  pool.on('error', () => undefined);
  return pool;
}
