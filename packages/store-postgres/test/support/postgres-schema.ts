import { findPostgres } from '@prozvon/testkit';
import { afterAll, beforeAll } from 'vitest';
import { createTestSchema, type TestSchema } from '../../src/testing/index.js';

/** The server the PostgreSQL tests use, or why they are skipped (said once, on one line). */
export const postgres = findPostgres();
if (!postgres.found) console.warn(postgres.reason);

/**
 * A fresh schema for this test file, as graphile-worker's tests do: created before its tests,
 * dropped with everything in it after them, so files run side by side on one database without
 * seeing each other.
 */
export function useFreshSchema(): { url: () => string; schema: () => string; empty: () => Promise<void> } {
  let created: TestSchema | undefined;
  const current = (): TestSchema => {
    if (!created) throw new Error(postgres.found ? 'the schema is created in beforeAll' : postgres.reason);
    return created;
  };
  beforeAll(async () => {
    if (postgres.found) created = await createTestSchema(postgres.url);
  });
  afterAll(async () => {
    await created?.drop();
  });
  return { url: () => current().url, schema: () => current().name, empty: () => current().empty() };
}
