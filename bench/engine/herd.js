// herd_drain_s: the morning herd. 10,000 night leads of one shop fall due at the same instant;
// the voice double takes 10 ms per call and the default pacing holds (10 calls in flight per shop).
// Seconds from that instant until the last one is dialled, and whether the first submitted were
// dialled first: herd_order_violations counts dials that came after a later-submitted lead's.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SystemClock } from '@prozvon/sdk';
import { SqliteLeadStore } from '@prozvon/sdk/stores/sqlite';
import {
  alwaysOpenConfig,
  cloneNightLead,
  countStoreCalls,
  cpuMsSince,
  doubles,
  engineOn,
  figure,
  nightLeadTemplate,
  QUICK,
  sleep,
  tempDir,
} from '../lib/setup.js';

const LEADS = QUICK ? 300 : 10_000;
const VOICE_DELAY_MS = 10;

const { dir, remove } = tempDir('herd');
const store = new SqliteLeadStore(join(dir, 'leads.db'));
const template = await nightLeadTemplate();
const dueAt = Date.now() + 3_000;
// Submitted a second apart through the evening; inserted in random order, so that the order of
// the rows says nothing about the order of the calls.
const eveningStart = dueAt - 12 * 3_600_000;
const rankOf = new Map();
const leads = [];
for (let i = 0; i < LEADS; i++) {
  const id = randomUUID();
  rankOf.set(id, i);
  leads.push(
    cloneNightLead(template, {
      id,
      crmLeadId: String(i),
      submittedAt: eveningStart + i * 1_000,
      wakeAt: dueAt,
    }),
  );
}
for (let i = leads.length - 1; i > 0; i--) {
  const j = Math.floor(Math.random() * (i + 1));
  [leads[i], leads[j]] = [leads[j], leads[i]];
}
await store.insertLeads(leads);
leads.length = 0;

const ports = doubles({ voiceDelayMs: VOICE_DELAY_MS });
const config = alwaysOpenConfig();
const engine = engineOn(store, new SystemClock(), ports, config);
const calls = countStoreCalls(store);
const order = [];
let lastDial = 0;
let inFlight = 0;
let mostInFlight = 0;
ports.voice.onReceive = (request) => {
  order.push(rankOf.get(request.leadId));
  lastDial = Date.now();
  mostInFlight = Math.max(mostInFlight, ++inFlight);
};
ports.voice.onStart = () => inFlight--;
// How long the event loop is held (a timer, an HTTP request waits that long). Enabled before the
// engine's timer for the herd can fire, so the WAKEs themselves are in it; nothing else runs here.
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
await engine.start();
if (Date.now() >= dueAt) console.error('herd: the engine started after the herd was due');
const cpu = process.cpuUsage();

const deadline = dueAt + LEADS * 100;
while (order.length < LEADS && Date.now() < deadline) await sleep(50);

loop.disable();
const cpuMs = cpuMsSince(cpu);
let violations = 0;
for (let i = 1; i < order.length; i++) if (order[i] < order[i - 1]) violations++;
figure('herd_drain_s', (lastDial - dueAt) / 1000, 's');
figure('herd_ideal_drain_s', (LEADS / config.maxCallsInFlight) * (VOICE_DELAY_MS / 1000), 's');
figure('herd_order_violations', violations, 'dials');
figure('herd_undialled', LEADS - order.length, 'leads');
figure('herd_most_calls_in_flight', mostInFlight, 'calls');
figure('herd_cpu_ms_per_lead', cpuMs / order.length, 'ms');
figure('herd_dials_claimed_per_dial', calls.claimedRows / order.length, 'rows');
figure('herd_paced_releases_per_dial', (calls.releaseEffect ?? 0) / order.length, 'transactions');
figure('herd_event_loop_delay_max_ms', loop.max / 1e6, 'ms');

await engine.stop();
await store.close();
remove();
