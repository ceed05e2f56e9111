// pg_wake_lateness_p99_ms: the wake-lateness benchmark (wake-lateness.js) on PostgreSQL. WAITING
// night leads wait in the store (wake-ups spread over the next 24 hours; cloned from one real
// night lead by INSERT … SELECT, so seeding a million takes a minute, not an hour) while DUE of
// them fall due over DUE_OVER_MS. Lateness is when the engine applies the WAKE (the lead leaves
// `call.night`) minus its `wake_at`. The machine's server, a schema of its own dropped afterwards.
import { randomUUID } from 'node:crypto';
import { SystemClock } from '@prozvon/sdk';
import { createPgPool, PostgresLeadStore } from '@prozvon/store-postgres';
import { createTestSchema } from '@prozvon/store-postgres/testing';
import {
  cloneNightLead,
  cpuMsSince,
  doubles,
  engineOn,
  figure,
  nightLeadTemplate,
  percentile,
  QUICK,
  sleep,
} from '../lib/setup.js';

const url = process.env.PROZVON_BENCH_DATABASE_URL ?? process.env.PROZVON_TEST_DATABASE_URL;
if (!url) {
  console.error('# pg-wake-lateness skipped: set PROZVON_BENCH_DATABASE_URL (or PROZVON_TEST_DATABASE_URL)');
  process.exit(0);
}
// PROZVON_BENCH_PG_WAITING: the leads waiting (the figure is for 1,000,000).
const WAITING = Number(process.env.PROZVON_BENCH_PG_WAITING ?? (QUICK ? 20_000 : 1_000_000));
const DUE = QUICK ? 1_000 : 20_000;
const DUE_OVER_MS = QUICK ? 2_000 : 20_000;
/** Rows per INSERT … SELECT while seeding: one statement each, so none holds a huge transaction. */
const SEED_BATCH = 50_000;

const schema = await createTestSchema(url, 'prozvon_bench');
try {
  const store = await PostgresLeadStore.open({ url, schema: schema.name });
  const template = await nightLeadTemplate();

  // The far ones: one stored through the store, the rest cloned from its row in SQL, every column
  // copied but the id and the wake-up (10 minutes to 24 hours ahead: none falls due here).
  const seedStarted = performance.now();
  const now = Date.now();
  const seedId = randomUUID();
  await store.insertLead(
    cloneNightLead(template, {
      id: seedId,
      crmLeadId: 'seed',
      submittedAt: now - 3_600_000,
      wakeAt: now + 86_400_000,
    }),
    [],
    [],
  );
  const pool = createPgPool({ url, schema: schema.name, max: 1, applicationName: 'prozvon-bench' });
  const { rows } = await pool.query(
    "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'leads' ORDER BY ordinal_position",
    [schema.name],
  );
  const columns = rows.map((row) => row.column_name);
  const expression = (column) =>
    column === 'id'
      ? "t.id || '-' || g"
      : column === 'wake_at'
        ? `$2::bigint + (g::bigint * ${86_400_000 - 600_000} / ${WAITING})`
        : `t.${column}`;
  for (let from = 1; from < WAITING - DUE; from += SEED_BATCH) {
    const to = Math.min(WAITING - DUE - 1, from + SEED_BATCH - 1);
    await pool.query(
      `INSERT INTO leads (${columns.join(', ')}) SELECT ${columns.map(expression).join(', ')}
       FROM leads t, generate_series(${from}, ${to}) g WHERE t.id = $1`,
      [seedId, now + 600_000],
    );
  }
  await pool.query('ANALYZE leads');
  const seedSeconds = (performance.now() - seedStarted) / 1000;

  // The ones due during the run, through the store: evenly spread over DUE_OVER_MS.
  const firstDue = Date.now() + 5_000;
  const wakeAtOf = new Map();
  const due = [];
  for (let i = 0; i < DUE; i++) {
    const wakeAt = firstDue + Math.floor((i * DUE_OVER_MS) / DUE);
    const id = randomUUID();
    wakeAtOf.set(id, wakeAt);
    due.push(cloneNightLead(template, { id, crmLeadId: String(i), submittedAt: wakeAt - 3_600_000, wakeAt }));
  }
  for (let i = 0; i < due.length; i += 500)
    await Promise.all(due.slice(i, i + 500).map((lead) => store.insertLead(lead, [], [])));
  due.length = 0;

  const lateness = [];
  const engine = engineOn(store, new SystemClock(), doubles());
  engine.onStateChange(({ leadId, from }) => {
    if (from?.callState !== 'call.night') return;
    const wakeAt = wakeAtOf.get(leadId);
    if (wakeAt !== undefined) lateness.push(Date.now() - wakeAt);
  });
  await engine.start();
  if (Date.now() >= firstDue) console.error('# pg-wake-lateness: the engine started after the first wake-up');
  const cpu = process.cpuUsage();
  const deadline = firstDue + DUE_OVER_MS + 30_000;
  while (lateness.length < DUE && Date.now() < deadline) await sleep(100);
  const cpuMs = cpuMsSince(cpu);
  await engine.stop();
  await store.close();
  const waiting = Number((await pool.query('SELECT COUNT(*) AS n FROM leads')).rows[0].n);
  await pool.end();

  figure('pg_wake_lateness_p50_ms', percentile(lateness, 50), 'ms');
  figure('pg_wake_lateness_p99_ms', percentile(lateness, 99), 'ms');
  figure('pg_wake_lateness_max_ms', percentile(lateness, 100), 'ms');
  figure('pg_wake_missed', DUE - lateness.length, 'leads');
  figure('pg_wake_cpu_ms_per_lead', cpuMs / Math.max(1, lateness.length), 'ms');
  figure('pg_wake_waiting_leads', waiting, 'leads');
  figure('pg_seed_leads_per_s', (WAITING - DUE) / seedSeconds, 'leads/s');
} finally {
  await schema.drop();
}
