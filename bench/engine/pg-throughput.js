// pg_leads_per_s_1 and pg_leads_per_s_3: the throughput benchmark's full lifecycles
// (lib/lifecycles.js) with one engine process on PostgreSQL, then with three engine processes
// (pg-throughput-child.js) on one schema at once, side by side in one run — the machine's server (PROZVON_BENCH_DATABASE_URL, else
// PROZVON_TEST_DATABASE_URL), in a schema of its own dropped afterwards. Without a server it says
// so on stderr and prints nothing.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createPgPool, PostgresLeadStore } from '@prozvon/store-postgres';
import { createTestSchema } from '@prozvon/store-postgres/testing';
import { measureGraphileChain } from '../lib/graphile-chain.js';
import { measureLifecycles } from '../lib/lifecycles.js';
import { pgServerMeter } from '../lib/pg-backends.js';
import { figure, QUICK, sharedStoreConfig, sleep } from '../lib/setup.js';

const url = process.env.PROZVON_BENCH_DATABASE_URL ?? process.env.PROZVON_TEST_DATABASE_URL;
if (!url) {
  console.error('# pg-throughput skipped: set PROZVON_BENCH_DATABASE_URL (or PROZVON_TEST_DATABASE_URL)');
  process.exit(0);
}
// PROZVON_BENCH_PG_WRITERS: write transactions in flight at once (the store's writeConcurrency;
// its default without it).
const writers = process.env.PROZVON_BENCH_PG_WRITERS
  ? Number(process.env.PROZVON_BENCH_PG_WRITERS)
  : undefined;

const warmupMs = QUICK ? 500 : 2_000;
const measureMs = QUICK ? 2_500 : 15_000;
const PROCESSES = 3;
// PROZVON_BENCH_PG_PARTS: which runs, of `1,3,graphile` (all by default), e.g. `1` alone while
// profiling the store.
const parts = new Set((process.env.PROZVON_BENCH_PG_PARTS ?? '1,3,graphile').split(','));

const schema = await createTestSchema(url, 'prozvon_bench');
try {
  const store = await PostgresLeadStore.open({ url, schema: schema.name, writeConcurrency: writers });
  const meter = await pgServerMeter(url);
  const run = await measureLifecycles(store, { warmupMs, measureMs, meter, config: sharedStoreConfig() });
  await store.close();
  figure('pg_leads_per_s_1', run.leadsPerSecond, 'leads/s');
  figure('pg_lifecycle_cpu_ms_per_lead', run.cpuMsPerLead, 'ms');
  // The server's backends serving this process's connections (their /proc CPU): null when the
  // server is not on this machine. With the engine's, what 2 cores bound leads/s at.
  const serverMs = run.meterPerLead.serverCpuMs;
  if (serverMs !== null) {
    figure('pg_lifecycle_server_cpu_ms_per_lead', serverMs, 'ms');
    figure('pg_lifecycle_2_core_bound', 2_000 / (run.cpuMsPerLead + serverMs), 'leads/s');
  }
  figure('pg_lifecycle_commits_per_lead', run.commitsPerLead, 'transactions');
  figure('pg_lifecycle_statements_per_lead', run.meterPerLead.statements, 'statements');

  if (parts.has('3')) {
    const three = await measureProcesses(schema.name);
    figure('pg_leads_per_s_3', three.leadsPerSecond, 'leads/s');
    // The engines' CPU (all three processes) per finished lead: on 2 cores shared with the server,
    // leads/s is bounded near 2,000 ms / (this + the server's share), whatever the process count.
    figure('pg_lifecycle_cpu_ms_per_lead_3', three.cpuMsPerLead, 'ms');
    if (three.serverCpuMsPerLead !== null) {
      figure('pg_lifecycle_server_cpu_ms_per_lead_3', three.serverCpuMsPerLead, 'ms');
      figure(
        'pg_lifecycle_2_core_bound_3',
        2_000 / (three.cpuMsPerLead + three.serverCpuMsPerLead),
        'leads/s',
      );
    }
    figure('pg_scaling_3_over_1', three.leadsPerSecond / run.leadsPerSecond, 'x');
  }

  // `p1`: the child process alone, as one of three would run (PROZVON_BENCH_PG_COUNTS compares them).
  if (parts.has('p1')) {
    const one = await measureProcesses(schema.name, 1);
    figure('pg_leads_per_s_p1', one.leadsPerSecond, 'leads/s');
    figure('pg_lifecycle_cpu_ms_per_lead_p1', one.cpuMsPerLead, 'ms');
    if (one.serverCpuMsPerLead !== null)
      figure('pg_lifecycle_server_cpu_ms_per_lead_p1', one.serverCpuMsPerLead, 'ms');
  }

  if (parts.has('graphile')) {
    // The same lifecycle as a chain of graphile-worker jobs, on the same server in the same run.
    const chain = await measureGraphileChain(url, { warmupMs, measureMs, meter });
    figure('pg_graphile_jobs_chain_leads_per_s', chain.leadsPerSecond, 'leads/s');
    figure('pg_graphile_jobs_chain_cpu_ms_per_lead', chain.cpuMsPerLead, 'ms');
    if (chain.serverCpuMsPerLead !== null)
      figure('pg_graphile_jobs_chain_server_cpu_ms_per_lead', chain.serverCpuMsPerLead, 'ms');
    figure('pg_vs_graphile_ratio', run.leadsPerSecond / chain.leadsPerSecond, 'x');
  }
  await meter.close();
} finally {
  await schema.drop();
}

/**
 * Three engine processes on `schemaName` at once, started together at one instant; the leads
 * finished in the database over the measuring window, and the processes' CPU over it.
 */
async function measureProcesses(schemaName, processes = PROCESSES) {
  const pool = createPgPool({ url, schema: schemaName, max: 1, applicationName: 'prozvon-bench' });
  const finished = async () =>
    Number((await pool.query('SELECT COUNT(*) AS n FROM leads WHERE finished')).rows[0].n);
  // Loading a process takes a second or two on a loaded machine: they all begin at startAt.
  const startAt = Date.now() + 4_000;
  const children = Array.from({ length: processes }, (_, index) => {
    const settings = { url, schema: schemaName, writers, index, startAt, warmupMs, measureMs };
    const child = spawn(
      process.execPath,
      [fileURLToPath(new URL('./pg-throughput-child.js', import.meta.url)), JSON.stringify(settings)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    return new Promise((resolve, reject) =>
      child.on('close', (code) =>
        code === 0
          ? resolve(JSON.parse(out.trim().split('\n').at(-1)))
          : reject(new Error(`child ${index} exited ${code}`)),
      ),
    );
  });
  // The server's side: the backends of the children's stores (their application name).
  const meter = await pgServerMeter(url, { applications: ['prozvon', 'prozvon-watch'] });
  await sleep(startAt + warmupMs - Date.now());
  const from = { done: await finished(), at: performance.now(), meter: await meter.read() };
  await sleep(measureMs);
  const done = (await finished()) - from.done;
  const serverCpuMs = meter.since(from.meter, await meter.read()).serverCpuMs;
  await meter.close();
  if (process.env.PROZVON_BENCH_PG_COUNTS === '1') {
    const open = async () =>
      Number((await pool.query('SELECT COUNT(*) AS n FROM leads WHERE NOT finished')).rows[0].n);
    console.error(
      `# ${processes} processes: ${await open()} leads unfinished at the window's end, ${done} finished in it`,
    );
  }
  const seconds = (performance.now() - from.at) / 1000;
  const reports = await Promise.all(children);
  await pool.end();
  const cpuMs = reports.reduce((sum, report) => sum + report.cpuMs, 0);
  // PROZVON_BENCH_PG_COUNTS=1: what the processes did together, per finished lead.
  if (reports.every((report) => report.counts)) {
    const sums = new Map();
    for (const { counts } of reports)
      for (const [k, v] of Object.entries(counts)) sums.set(k, (sums.get(k) ?? 0) + v);
    const perLead = [...sums]
      .filter(([, v]) => v / done >= 0.005)
      .map(([k, v]) => `${k} ${(v / done).toFixed(2)}`);
    console.error(`# ${processes} processes together, per finished lead: ${perLead.join(', ')}`);
  }
  return {
    leadsPerSecond: done / seconds,
    cpuMsPerLead: cpuMs / done,
    serverCpuMsPerLead: serverCpuMs === null ? null : serverCpuMs / done,
  };
}
