// pg_leads_per_s_1: the throughput benchmark's full lifecycles (lib/lifecycles.js) with one engine
// process on PostgreSQL — the machine's server (PROZVON_BENCH_DATABASE_URL, else
// PROZVON_TEST_DATABASE_URL), in a schema of its own dropped afterwards. Without a server it says
// so on stderr and prints nothing.
import { PostgresLeadStore } from '@prozvon/store-postgres';
import { createTestSchema } from '@prozvon/store-postgres/testing';
import { measureLifecycles } from '../lib/lifecycles.js';
import { figure, QUICK } from '../lib/setup.js';

const url = process.env.PROZVON_BENCH_DATABASE_URL ?? process.env.PROZVON_TEST_DATABASE_URL;
if (!url) {
  console.error('# pg-throughput skipped: set PROZVON_BENCH_DATABASE_URL (or PROZVON_TEST_DATABASE_URL)');
  process.exit(0);
}
// PROZVON_BENCH_PG_WRITERS: write transactions in flight at once (the store's writeConcurrency).
const writers = Number(process.env.PROZVON_BENCH_PG_WRITERS ?? 4);

const schema = await createTestSchema(url, 'prozvon_bench');
try {
  const store = await PostgresLeadStore.open({ url, schema: schema.name, writeConcurrency: writers });
  const run = await measureLifecycles(store, {
    warmupMs: QUICK ? 500 : 2_000,
    measureMs: QUICK ? 2_500 : 15_000,
  });
  await store.close();
  figure('pg_leads_per_s_1', run.leadsPerSecond, 'leads/s');
  figure('pg_lifecycle_cpu_ms_per_lead', run.cpuMsPerLead, 'ms');
  figure('pg_lifecycle_commits_per_lead', run.commitsPerLead, 'transactions');
} finally {
  await schema.drop();
}
