import { afterEach, beforeEach } from 'vitest';
import { PostgresLeadStore } from '../../src/index.js';
import type { useFreshSchema } from './postgres-schema.js';

/**
 * Two instances (two stores, two pools) on the file's schema, opened before each test on an
 * emptied schema and closed after it: what SQLite's single writer hides and PostgreSQL shows.
 */
export function useTwoInstances(db: ReturnType<typeof useFreshSchema>) {
  const stores: { a?: PostgresLeadStore; b?: PostgresLeadStore } = {};
  beforeEach(async () => {
    const open = () => PostgresLeadStore.open({ url: db.url(), schema: db.schema(), poolSize: 4 });
    [stores.a, stores.b] = await Promise.all([open(), open()]);
    await db.empty();
  });
  afterEach(async () => {
    await Promise.all([stores.a?.close(), stores.b?.close()]);
  });
  const opened = (store: PostgresLeadStore | undefined) => {
    if (store === undefined) throw new Error('the instances are opened in beforeEach');
    return store;
  };
  return { a: () => opened(stores.a), b: () => opened(stores.b) };
}
