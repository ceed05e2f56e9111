// wake_lateness_p99_ms and rss_mb: 1,000,000 night leads wait in a SQLite file (bulk-inserted,
// wake-ups spread over the next 24 hours) while 20,000 of them fall due over 20 seconds. Lateness
// is when the engine applies the WAKE (the lead leaves `call.night`) minus its `wake_at`. RSS is
// the engine process's, taken once it is started with all 1,000,000 waiting.
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { SystemClock } from '@prozvon/sdk';
import { SqliteLeadStore } from '@prozvon/sdk/stores/sqlite';
import {
  checkpointedSize,
  cloneNightLead,
  cpuMsSince,
  doubles,
  engineOn,
  figure,
  nightLeadTemplate,
  percentile,
  QUICK,
  sleep,
  tempDir,
} from '../lib/setup.js';

const WAITING = QUICK ? 20_000 : 1_000_000;
const DUE = QUICK ? 1_000 : 20_000;
const DUE_OVER_MS = QUICK ? 2_000 : 20_000;
/** Between the engine's start and the first wake-up: room to take the RSS while all wait. */
const LEAD_IN_MS = 2_000;

const { dir, remove } = tempDir('wake');
const path = join(dir, 'leads.db');

// The far ones, in a child process: wake-ups from 10 minutes to 24 hours ahead, none due here.
const seedStarted = performance.now();
await new Promise((resolve, reject) => {
  const now = Date.now();
  fork(fileURLToPath(new URL('./seed-waiting.js', import.meta.url)), [
    path,
    String(WAITING - DUE),
    String(now + 600_000),
    String(now + 86_400_000),
  ])
    .on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seeding exited with ${code}`))))
    .on('error', reject);
});
const seedSeconds = (performance.now() - seedStarted) / 1000;

// The ones due during the run, here: evenly spread over DUE_OVER_MS once the engine is up.
const template = await nightLeadTemplate();
const store = new SqliteLeadStore(path);
const firstDue = Date.now() + 3_000 + LEAD_IN_MS;
const wakeAtOf = new Map();
const due = [];
for (let i = 0; i < DUE; i++) {
  const wakeAt = firstDue + Math.floor((i * DUE_OVER_MS) / DUE);
  const id = randomUUID();
  wakeAtOf.set(id, wakeAt);
  due.push(cloneNightLead(template, { id, crmLeadId: String(i), submittedAt: wakeAt - 3_600_000, wakeAt }));
}
await store.insertLeads(due);
due.length = 0;

const lateness = [];
const ports = doubles();
const engine = engineOn(store, new SystemClock(), ports);
engine.onStateChange(({ leadId, from }) => {
  if (from?.callState !== 'call.night') return;
  const wakeAt = wakeAtOf.get(leadId);
  if (wakeAt !== undefined) lateness.push(Date.now() - wakeAt);
});
await engine.start();
if (Date.now() >= firstDue) console.error('wake-lateness: the engine started after the first wake-up');
const rss = process.memoryUsage().rss;
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const cpu = process.cpuUsage();

const deadline = firstDue + DUE_OVER_MS + 30_000;
while (lateness.length < DUE && Date.now() < deadline) await sleep(100);
loop.disable();
const cpuMs = cpuMsSince(cpu);

figure('wake_lateness_p50_ms', percentile(lateness, 50), 'ms');
figure('wake_lateness_p99_ms', percentile(lateness, 99), 'ms');
figure('wake_lateness_max_ms', percentile(lateness, 100), 'ms');
figure('wake_missed', DUE - lateness.length, 'leads');
figure('wake_cpu_ms_per_lead', cpuMs / lateness.length, 'ms');
figure('wake_event_loop_delay_max_ms', loop.max / 1e6, 'ms');
figure('rss_mb', rss / 1048576, 'MB');
figure('rss_peak_mb', process.resourceUsage().maxRSS / 1024, 'MB');
figure('seed_leads_per_s', (WAITING - DUE) / seedSeconds, 'leads/s');

await engine.stop();
await store.close();
figure('sqlite_mb_per_100k_waiting_leads', ((checkpointedSize(path) / WAITING) * 100_000) / 1e6, 'MB');
remove();
