// intake_to_dial_p50_ms / _p99_ms: from `submitLead` resolving to the VoicePort double receiving
// the call, at a steady 200 leads/s for 20 s, with a CRM that answers every request after 300 ms,
// on a SQLite file and the real clock. Calling does not wait for the CRM (DESIGN.md): this is how
// long it takes not to.
import { join } from 'node:path';
import { SystemClock } from '@prozvon/sdk';
import { SqliteLeadStore } from '@prozvon/sdk/stores/sqlite';
import {
  cpuMsSince,
  doubles,
  engineOn,
  figure,
  percentile,
  phoneOf,
  QUICK,
  sleep,
  tempDir,
} from '../lib/setup.js';

const RATE = 200;
const SECONDS = QUICK ? 3 : 20;
const CRM_DELAY_MS = 300;

const { dir, remove } = tempDir('intake');
const store = new SqliteLeadStore(join(dir, 'leads.db'));
const ports = doubles({ crmDelayMs: CRM_DELAY_MS });
const engine = engineOn(store, new SystemClock(), ports);

/** leadId → performance.now() when submitLead resolved, and when the call reached the double. */
const returned = new Map();
const dialled = new Map();
ports.voice.onReceive = (request, at) => dialled.set(request.leadId, at);

await engine.start();
const total = RATE * SECONDS;
const started = performance.now();
const cpu = process.cpuUsage();
const submits = [];
for (let i = 0; i < total; i++) {
  // An open-loop schedule: lead i is due at i/RATE s whatever happened to the ones before it.
  const due = started + (i * 1000) / RATE;
  const wait = due - performance.now();
  if (wait > 1) await sleep(wait);
  submits.push(
    engine
      .submitLead({
        name: `Покупатель ${i}`,
        phone: phoneOf(i),
        partnerCode: 'PARTNER42',
        site: 'shop.example',
        orderSum: 1990 + i,
        currency: 'RUB',
        ref: `order-${i}`,
      })
      .then(({ leadId }) => returned.set(leadId, performance.now())),
  );
}
await Promise.all(submits);
const offered = (total / (performance.now() - started)) * 1000;
// Let the last calls get through.
for (let i = 0; i < 100 && dialled.size < total; i++) await sleep(50);
const cpuMs = cpuMsSince(cpu);

const latencies = [];
for (const [leadId, at] of returned) {
  const dial = dialled.get(leadId);
  // The pump can claim and send the dial in the microtasks before the caller's continuation runs.
  if (dial !== undefined) latencies.push(Math.max(0, dial - at));
}
figure('intake_to_dial_p50_ms', percentile(latencies, 50), 'ms');
figure('intake_to_dial_p99_ms', percentile(latencies, 99), 'ms');
figure('intake_to_dial_max_ms', percentile(latencies, 100), 'ms');
figure('intake_offered_leads_per_s', offered, 'leads/s');
figure('intake_undialled', total - latencies.length, 'leads');
figure('intake_cpu_ms_per_lead', cpuMs / total, 'ms');

await engine.stop();
await store.close();
remove();
