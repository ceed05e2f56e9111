// pg_herd_drain_s: the morning herd (herd.js) on PostgreSQL across three engine processes
// (pg-herd-child.js) on one schema. LEADS night leads of one shop fall due at the same instant;
// the voice double takes 10 ms per call and the shop's default pacing (10 calls in flight) is
// shared by the three processes through the database. Seconds from that instant until the last one
// is dialled, against the ideal for the cap kept at all times (10 calls a 10 ms each); a call holds
// its slot until its outcome is written, so the real figure pays a commit a call on top.
// pg_herd_most_calls_in_flight_3 adds each process's most calls at once (an upper bound of the
// shop's: the processes' peaks need not coincide).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createPgPool, PostgresLeadStore } from '@prozvon/store-postgres';
import { createTestSchema } from '@prozvon/store-postgres/testing';
import { alwaysOpenConfig, cloneNightLead, figure, nightLeadTemplate, QUICK, sleep } from '../lib/setup.js';

const url = process.env.PROZVON_BENCH_DATABASE_URL ?? process.env.PROZVON_TEST_DATABASE_URL;
if (!url) {
  console.error('# pg-herd skipped: set PROZVON_BENCH_DATABASE_URL (or PROZVON_TEST_DATABASE_URL)');
  process.exit(0);
}
const LEADS = QUICK ? 600 : 10_000;
const PROCESSES = 3;
const VOICE_DELAY_MS = 10;

const schema = await createTestSchema(url, 'prozvon_bench');
const children = [];
try {
  const store = await PostgresLeadStore.open({ url, schema: schema.name });
  const template = await nightLeadTemplate();
  const seeded = [];
  for (let i = 0; i < LEADS; i++) {
    seeded.push(
      // The lead's own wake-up (in its snapshot) is now; the row's is far ahead until the morning.
      {
        ...cloneNightLead(template, {
          id: randomUUID(),
          crmLeadId: String(i),
          submittedAt: Date.now() - 3_600_000 + i,
          wakeAt: Date.now(),
        }),
        wakeAt: Date.now() + 86_400_000,
      },
    );
  }
  const states = [];
  for (let i = 0; i < PROCESSES; i++) {
    const settings = { url, schema: schema.name, index: i, voiceDelayMs: VOICE_DELAY_MS };
    const child = spawn(
      process.execPath,
      [fileURLToPath(new URL('./pg-herd-child.js', import.meta.url)), JSON.stringify(settings)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const state = { ready: false, last: { dials: 0, last: 0, most: 0, cpuMs: 0 } };
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') state.ready = true;
        else if (line.startsWith('{')) state.last = JSON.parse(line);
      }
    });
    state.closed = new Promise((resolve) => child.on('close', resolve));
    children.push(child);
    states.push(state);
  }
  while (!states.every((state) => state.ready)) await sleep(50);
  // Stored waiting far ahead, then moved to one instant by one statement, as a morning brings
  // them: the engines hear of it as of any write of another instance, by NOTIFY on the schema's
  // channel (the store's own, prozvon_due_<schema>), the timer being the backstop.
  for (let i = 0; i < seeded.length; i += 500)
    await Promise.all(seeded.slice(i, i + 500).map((lead) => store.insertLead(lead, [], [])));
  seeded.length = 0;
  const pool = createPgPool({ url, schema: schema.name, max: 1, applicationName: 'prozvon-bench' });
  const dueAt = Date.now() + 1_000;
  await pool.query('UPDATE leads SET wake_at = $1', [dueAt]);
  await pool.query('SELECT pg_notify($1, $2)', [`prozvon_due_${schema.name}`.slice(0, 63), String(dueAt)]);
  const dialled = () => states.reduce((sum, state) => sum + state.last.dials, 0);
  const deadline = dueAt + LEADS * 50;
  while (dialled() < LEADS && Date.now() < deadline) await sleep(50);
  await sleep(300);
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(states.map((state) => state.closed));
  await pool.end();
  await store.close();
  const last = Math.max(...states.map((state) => state.last.last));
  const cpuMs = states.reduce((sum, state) => sum + state.last.cpuMs, 0);
  figure('pg_herd_drain_s', (last - dueAt) / 1000, 's');
  const { maxCallsInFlight } = alwaysOpenConfig();
  figure('pg_herd_ideal_drain_s', (LEADS / maxCallsInFlight) * (VOICE_DELAY_MS / 1000), 's');
  figure('pg_herd_undialled', LEADS - dialled(), 'leads');
  const keys = states.flatMap((state) => state.last.keys ?? []);
  figure('pg_herd_dial_keys_used_twice', keys.length - new Set(keys).size, 'dials');
  figure(
    'pg_herd_most_calls_in_flight_3',
    states.reduce((sum, state) => sum + state.last.most, 0),
    'calls',
  );
  console.error(`# pg-herd: dials per process ${states.map((state) => state.last.dials).join(' / ')}`);
  figure('pg_herd_cpu_ms_per_lead', cpuMs / Math.max(1, dialled()), 'ms');
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await schema.drop();
}
