// intake_to_dial_p50_ms / _p99_ms: from `submitLead` resolving to the VoicePort double receiving
// the call, at a steady 200 leads/s for 20 s, with a CRM that answers every request after 300 ms,
// on a SQLite file and the real clock. Calling does not wait for the CRM (DESIGN.md): this is how
// long it takes not to. Run twice: leads without a partner code (one CRM request each, the
// create), then the `_with_partner_` figures, every lead with one (a look-up, then the create).
// A lead still not dialled when the run gives up counts with the time it had waited by then (a
// lower bound), and `intake_to_dial_undialled` says how many there were.
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
/** How long to wait, after the last submit, for the calls still queued. */
const DRAIN_MS = QUICK ? 5_000 : 60_000;

async function run(prefix, { partnerCode }) {
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
    const wait = started + (i * 1000) / RATE - performance.now();
    if (wait > 1) await sleep(wait);
    submits.push(
      engine
        .submitLead({
          name: `Покупатель ${i}`,
          phone: phoneOf(i),
          ...(partnerCode ? { partnerCode: 'PARTNER42' } : {}),
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
  const giveUp = performance.now() + DRAIN_MS;
  while (dialled.size < total && performance.now() < giveUp) await sleep(50);
  const end = performance.now();
  const cpuMs = cpuMsSince(cpu);

  // The pump can claim and send a dial in the microtasks before the caller's continuation runs:
  // such a lead counts 0 ms.
  const latencies = [...returned].map(([leadId, at]) => Math.max(0, (dialled.get(leadId) ?? end) - at));
  figure(`${prefix}_p50_ms`, percentile(latencies, 50), 'ms');
  figure(`${prefix}_p99_ms`, percentile(latencies, 99), 'ms');
  figure(`${prefix}_max_ms`, percentile(latencies, 100), 'ms');
  figure(`${prefix}_offered_leads_per_s`, offered, 'leads/s');
  figure(`${prefix}_undialled`, total - dialled.size, 'leads');
  figure(`${prefix}_cpu_ms_per_lead`, cpuMs / total, 'ms');

  await engine.stop();
  await store.close();
  remove();
}

await run('intake_to_dial', { partnerCode: false });
await run('intake_to_dial_with_partner', { partnerCode: true });
