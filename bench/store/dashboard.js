// dashboard_query_ms: the app's dashboard (`SqliteLeadStore.dashboard`: per partner or site and
// in total, leads, order sums, outcomes, speed-to-lead percentiles, machine mark rate, and the
// per-day counts) for one portal holding 1,000,000 leads among 100 portals in one SQLite file.
// The rows are seeded with SQL in one transaction (a recursive CTE), not through the engine (the
// store's triggers still keep the dashboard rollups of every row inserted, as for the engine's): a
// year of one portal's leads, evenly spread, each with a ~1 KB snapshot, and their dashboard
// columns drawn from the row number (200 partners, 5 sites, outcomes in realistic shares).
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SqliteLeadStore } from '@prozvon/sdk/stores/sqlite';
import { SNAPSHOT } from '../lib/dashboard-snapshot.js';
import { checkpointedSize, figure, percentile, QUICK, tempDir } from '../lib/setup.js';

const LEADS = QUICK ? 20_000 : 1_000_000;
/** Each of the 99 other portals' leads. */
const OTHER_LEADS = QUICK ? 200 : 5_000;
const PORTALS = 100;
const RUNS = QUICK ? 20 : 100;
const DAY = 86_400_000;
const YEAR = 365 * DAY;
/** The seeded year ends here; every query's period ends here too. */
const END = Date.parse('2026-12-01T00:00:00Z');
const PORTAL = 'portal-000';

const { dir, remove } = tempDir('dashboard');
const path = join(dir, 'leads.db');
new SqliteLeadStore(path, { checkpointEveryMs: 0 }).close();

/**
 * `count` leads of `tenant` over the year before END, in submit order. Outcome shares by
 * n·13 mod 100: 55 % answered, 15 % machine (a tenth marked as a person), 15 % no answer, 5 %
 * invalid, 8 % manual, 2 % without an outcome: in progress if submitted in the last day, else
 * finished without one (cancelled, or taken by a seller), as a lead's calls are over within a day;
 * first ring 2–62 s after the submit, the pick-up 3–23 s after it; a fifth without a partner, a
 * tenth without a sum, 5 % in USD.
 */
const SEED = `
  WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < :count),
  rows AS (
    -- Bound JS numbers arrive as REAL: the STRICT INTEGER columns want integers.
    SELECT n, CAST(:end AS INTEGER) - CAST(:span AS INTEGER)
              + (n * CAST(:span AS INTEGER)) / (CAST(:count AS INTEGER) + 1) AS submitted_at,
           (n * 13) % 100 AS roll
    FROM seq),
  facts AS (
    SELECT n, submitted_at,
      CASE WHEN roll < 55 THEN 'answered' WHEN roll < 70 THEN 'machine' WHEN roll < 85 THEN 'no_answer'
           WHEN roll < 90 THEN 'invalid' WHEN roll < 98 THEN 'manual' END AS outcome
    FROM rows)
  INSERT INTO leads (id, tenant_id, ref, crm_state, call_state, snapshot, wake_at, finished, submitted_at,
                     updated_at, version, partner, partner_name, site, order_sum, currency, first_ring_at,
                     answered_at, outcome, machine_person_at, machine_person_by)
  SELECT :tenant || '-' || n, :tenant, NULL, 'crm.created',
    CASE outcome WHEN 'no_answer' THEN 'call.manual' WHEN NULL THEN 'call.awaitingResult'
                 ELSE 'call.' || COALESCE(outcome, 'awaitingResult') END,
    :snapshot, NULL, outcome IS NOT NULL OR submitted_at < CAST(:end AS INTEGER) - 86400000,
    submitted_at, submitted_at + 60000, 5,
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

const seedStarted = performance.now();
const db = new DatabaseSync(path);
db.exec('PRAGMA journal_mode = WAL');
db.exec('BEGIN');
const seed = db.prepare(SEED);
seed.run({ count: LEADS, tenant: PORTAL, end: END, span: YEAR, snapshot: SNAPSHOT });
for (let p = 1; p < PORTALS; p++) {
  const tenant = `portal-${String(p).padStart(3, '0')}`;
  seed.run({ count: OTHER_LEADS, tenant, end: END, span: YEAR, snapshot: SNAPSHOT });
}
db.exec('COMMIT');
db.exec('ANALYZE');
db.close();
const total = LEADS + (PORTALS - 1) * OTHER_LEADS;
console.error(
  `# dashboard: ${total} leads seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s, ` +
    `file ${(checkpointedSize(path) / 1e6).toFixed(0)} MB`,
);

const store = new SqliteLeadStore(path, { checkpointEveryMs: 0 });
/** The page's default period (30 days), a week, a quarter, and the whole year (every lead). */
const PERIODS = [
  { name: '30d', days: 30 },
  { name: '7d', days: 7 },
  { name: '90d', days: 90 },
  { name: '365d', days: 365 },
];
for (const period of PERIODS) {
  const times = [];
  const cpu = [];
  let leads = 0;
  const runs = period.days === 365 ? Math.max(5, RUNS / 5) : RUNS;
  for (let i = 0; i < runs + 2; i++) {
    const query = {
      from: END - period.days * DAY,
      to: END,
      // As the page asks: by partner, then by site.
      groupBy: i % 2 === 0 ? 'partner' : 'site',
      timeZone: 'Europe/Moscow',
    };
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const answer = await store.dashboard(PORTAL, query);
    const elapsed = performance.now() - started;
    const used = process.cpuUsage(cpuStarted);
    leads = answer.total.leads;
    // The first two (one of each grouping) warm the page cache and prepare the statements.
    if (i >= 2) {
      times.push(elapsed);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  const suffix = period.name === '30d' ? '' : `_${period.name}`;
  console.error(`# dashboard ${period.name}: ${leads} leads in the period, ${runs} queries`);
  figure(`dashboard_query${suffix}_p50_ms`, percentile(times, 50), 'ms');
  figure(`dashboard_query${suffix}_p99_ms`, percentile(times, 99), 'ms');
  // What the query itself computed: wall-clock time less what other processes took of the CPU.
  figure(`dashboard_query${suffix}_cpu_p50_ms`, percentile(cpu, 50), 'ms');
  figure(`dashboard_query${suffix}_cpu_p99_ms`, percentile(cpu, 99), 'ms');
}
await store.close();
remove();
