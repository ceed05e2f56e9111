import { isCi } from './ci.js';

/** Where a PostgreSQL test finds its server, or why it cannot run. */
export type PostgresLookup =
  | { readonly found: true; readonly url: string }
  | { readonly found: false; readonly reason: string };

/**
 * Finds the PostgreSQL server for tests: `PROZVON_TEST_DATABASE_URL`, which `.ci/run` sets after
 * checking that the machine's server answers (STACK.md). A user's fresh machine may have none, and
 * `npm test` must still pass there: the PostgreSQL tests are then skipped with one line saying how
 * to enable them. Under CI (`CI` set) a missing URL is a failure, never a skip: the run would prove
 * nothing about PostgreSQL. Only the setting is checked here; a URL that names no reachable server
 * fails the tests that use it, since someone asked for that server.
 */
export function findPostgres(env: NodeJS.ProcessEnv = process.env): PostgresLookup {
  const url = env.PROZVON_TEST_DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error(`PROZVON_TEST_DATABASE_URL=${url} is not a postgres:// URL`);
    }
    return { found: true, url };
  }
  if (isCi(env)) {
    throw new Error(
      'PostgreSQL tests cannot run under CI: PROZVON_TEST_DATABASE_URL is not set (.ci/run sets it once pg_isready answers).',
    );
  }
  return {
    found: false,
    reason:
      'PostgreSQL tests skipped: PROZVON_TEST_DATABASE_URL is not set; set it to a server you may create schemas on (postgres://postgres@127.0.0.1:5432/test)',
  };
}
