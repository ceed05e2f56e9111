// pg_dashboard_query_ms: the dashboard (`PostgresLeadStore.dashboard`) over the same data as
// store/dashboard.js's SQLite file — one portal's year of 1,000,000 leads among 100 portals
// (quick: 20,000 and 200 each) — on the machine's PostgreSQL (PROZVON_BENCH_DATABASE_URL, else
// PROZVON_TEST_DATABASE_URL), in a schema of its own dropped afterwards. Seeded with one INSERT …
// SELECT over generate_series per portal, then VACUUM ANALYZE (index-only scans need the
// visibility map). The leads are seeded before the dashboard's rollups (migration 10), then the
// store is opened, which builds them from the leads as an upgrade does (its time said on stderr):
// seeding 1.5 million leads through the rollups' triggers takes far longer and measures nothing
// the queries read differently (test/dashboard-rollups.test.ts: the backfill and the triggers
// give the same rollups). Without a server it says so on stderr and prints nothing.
import { applyPgMigrations, createPgPool, PG_MIGRATIONS, PostgresLeadStore } from '@prozvon/store-postgres';
import { createTestSchema } from '@prozvon/store-postgres/testing';
import pg from 'pg';
import { SNAPSHOT } from '../lib/dashboard-snapshot.js';
import { figure, percentile, QUICK } from '../lib/setup.js';

const url = process.env.PROZVON_BENCH_DATABASE_URL ?? process.env.PROZVON_TEST_DATABASE_URL;
if (!url) {
  console.error('# pg-dashboard skipped: set PROZVON_BENCH_DATABASE_URL (or PROZVON_TEST_DATABASE_URL)');
  process.exit(0);
}

const LEADS = QUICK ? 20_000 : 1_000_000;
const OTHER_LEADS = QUICK ? 200 : 5_000;
const PORTALS = 100;
const RUNS = QUICK ? 20 : 100;
const DAY = 86_400_000;
const YEAR = 365 * DAY;
const END = Date.parse('2026-12-01T00:00:00Z');
const PORTAL = 'portal-000';

/** The same rows as store/dashboard.js's SEED ($1 count, $2 tenant, $3 end, $4 span, $5 snapshot). */
const SEED = `
  WITH rows AS (
    SELECT n, $3::bigint - $4::bigint + (n * $4::bigint) / ($1::bigint + 1) AS submitted_at,
           (n * 13) % 100 AS roll
    FROM generate_series(1, $1::bigint) AS n),
  facts AS (
    SELECT n, submitted_at,
      CASE WHEN roll < 55 THEN 'answered' WHEN roll < 70 THEN 'machine' WHEN roll < 85 THEN 'no_answer'
           WHEN roll < 90 THEN 'invalid' WHEN roll < 98 THEN 'manual' END AS outcome
    FROM rows)
  INSERT INTO leads (id, tenant_id, ref, crm_state, call_state, snapshot, wake_at, finished, submitted_at,
                     updated_at, version, partner, partner_name, site, order_sum, currency, first_ring_at,
                     answered_at, outcome, machine_person_at, machine_person_by)
  SELECT $2 || '-' || n, $2, NULL, 'crm.created',
    CASE WHEN outcome = 'no_answer' THEN 'call.manual' ELSE 'call.' || COALESCE(outcome, 'awaitingResult') END,
    $5::json, NULL, outcome IS NOT NULL, submitted_at, submitted_at + 60000, 5,
    CASE WHEN n % 5 = 0 THEN NULL ELSE 'P' || ((n * 7919) % 200) END,
    CASE WHEN n % 5 = 0 THEN NULL ELSE 'Partner ' || ((n * 7919) % 200) END,
    'site-' || (n % 5) || '.example',
    CASE WHEN n % 10 = 0 THEN NULL ELSE 100 + (n * 31) % 5000 END,
    CASE WHEN n % 20 = 1 THEN 'USD' ELSE 'RUB' END,
    CASE WHEN outcome = 'invalid' THEN NULL ELSE submitted_at + 2000 + (n * 37) % 60000 END,
    CASE WHEN outcome = 'answered' THEN submitted_at + 2000 + (n * 37) % 60000 + 3000 + (n * 53) % 20000 END,
    outcome,
    CASE WHEN outcome = 'machine' AND n % 10 = 3 THEN submitted_at + 3600000 END,
    CASE WHEN outcome = 'machine' AND n % 10 = 3 THEN 'b24user:1' END
  FROM facts`;

/** The migration that builds the rollups from the leads stored before it. */
const ROLLUPS_MIGRATION = 10;

const schema = await createTestSchema(url, 'prozvon_bench');
try {
  const pool = createPgPool({ url, schema: schema.name, max: 1, applicationName: 'prozvon-bench' });
  await applyPgMigrations(pool, {
    schema: schema.name,
    migrations: PG_MIGRATIONS.filter((migration) => migration.id < ROLLUPS_MIGRATION),
  });
  await pool.end();
  const seedStarted = performance.now();
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema.name}` });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(SEED, [LEADS, PORTAL, END, YEAR, SNAPSHOT]);
    for (let p = 1; p < PORTALS; p++) {
      const tenant = `portal-${String(p).padStart(3, '0')}`;
      await client.query(SEED, [OTHER_LEADS, tenant, END, YEAR, SNAPSHOT]);
    }
    await client.query('COMMIT');
    await client.query('VACUUM ANALYZE leads');
    const size = await client.query(
      `SELECT pg_total_relation_size('leads') AS table_bytes, pg_relation_size('leads_dashboard') AS index_bytes`,
    );
    console.error(
      `# pg-dashboard: ${LEADS + (PORTALS - 1) * OTHER_LEADS} leads seeded in ` +
        `${((performance.now() - seedStarted) / 1000).toFixed(1)} s; leads with indexes ` +
        `${(Number(size.rows[0].table_bytes) / 1e6).toFixed(0)} MB, leads_dashboard ` +
        `${(Number(size.rows[0].index_bytes) / 1e6).toFixed(0)} MB`,
    );
    const migrateStarted = performance.now();
    const opened = await PostgresLeadStore.open({ url, schema: schema.name });
    await opened.close();
    const rollups = await client.query(
      `SELECT to_regclass('dashboard_rollups') IS NOT NULL AS built,
              pg_total_relation_size(to_regclass('dashboard_rollups')) AS bytes`,
    );
    if (rollups.rows[0].built) {
      await client.query('VACUUM ANALYZE dashboard_rollups, dashboard_quarters');
      console.error(
        `# pg-dashboard: rollups built from the leads (migrations ${ROLLUPS_MIGRATION} on) in ` +
          `${((performance.now() - migrateStarted) / 1000).toFixed(1)} s; dashboard_rollups ` +
          `${(Number(rollups.rows[0].bytes) / 1e6).toFixed(0)} MB`,
      );
    }
  } finally {
    await client.end();
  }
  const store = await PostgresLeadStore.open({ url, schema: schema.name });

  for (const period of [
    { name: '30d', days: 30 },
    { name: '7d', days: 7 },
    { name: '90d', days: 90 },
    { name: '365d', days: 365 },
  ]) {
    const times = [];
    let leads = 0;
    const runs = period.days === 365 ? Math.max(5, RUNS / 5) : RUNS;
    for (let i = 0; i < runs + 2; i++) {
      const query = {
        from: END - period.days * DAY,
        to: END,
        groupBy: i % 2 === 0 ? 'partner' : 'site',
        timeZone: 'Europe/Moscow',
      };
      const started = performance.now();
      const answer = await store.dashboard(PORTAL, query);
      const elapsed = performance.now() - started;
      leads = answer.total.leads;
      // The first two (one of each grouping) warm the cache and prepare the statements.
      if (i >= 2) times.push(elapsed);
    }
    const suffix = period.name === '30d' ? '' : `_${period.name}`;
    console.error(`# pg-dashboard ${period.name}: ${leads} leads in the period, ${runs} queries`);
    // The work is the server's: this process only waits, so there is no CPU figure of its own.
    figure(`pg_dashboard_query${suffix}_p50_ms`, percentile(times, 50), 'ms');
    figure(`pg_dashboard_query${suffix}_p99_ms`, percentile(times, 99), 'ms');
  }
  await store.close();
} finally {
  await schema.drop();
}
