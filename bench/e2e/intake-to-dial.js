// e2e_intake_to_dial_p50_ms / _p99_ms and b24_requests_per_lead (issue 7): the example shop, the
// SDK and the four real adapters over loopback HTTP against the testkit's simulators, with the
// Bitrix24 simulator answering after 300 ms and its 2 requests/s leaky bucket on. Leads arrive at
// 50 a second for 30 seconds through the shop's order route; a lead's time is from the 202 to
// Voximplant's simulator receiving its StartScenarios. Requests per lead count every request the
// portal received (a batch is one, OAuth refreshes included), over all accepted leads, all answered.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { deriveCallRef } from '@prozvon/adapters-voximplant';
import { ORDER_PATH, startShop, startSimulators } from '@prozvon/example-express';
import { silentLogger } from '@prozvon/sdk';
import { SqliteLeadStore } from '@prozvon/sdk/stores/sqlite';

const QUICK = process.env.PROZVON_BENCH_QUICK === '1';
const RATE = 50;
const SECONDS = QUICK ? 4 : 30;
const ALL_DAY = { from: '00:00', to: '24:00' };
const week = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, ALL_DAY]),
);

const dir = mkdtempSync(join(tmpdir(), 'prozvon-bench-e2e-'));
// Calls play out at 1/50 of their real length (a minute of ringing and message in about a second):
// shorter, and a busy event loop makes the virtual phones miss their own timers.
const sims = await startSimulators({ timeScale: 0.02 });
sims.bitrix24.faults.latency(300);
// Every request the portal gets (REST, batch, OAuth) passes its fault check once: count there.
let portalRequests = 0;
const next = sims.bitrix24.faults.next.bind(sims.bitrix24.faults);
sims.bitrix24.faults.next = () => {
  portalRequests++;
  return next();
};
const store = new SqliteLeadStore(join(dir, 'leads.db'));
const shop = await startShop({
  settings: sims.settings,
  store,
  logger: silentLogger(),
  // Open around the clock with no quiet hours, so every lead is dialled at once whatever the time.
  // Every order comes from 127.0.0.1 at a rate no shop sees: no IP limit or daily ceiling.
  config: {
    hours: { timezone: 'Etc/UTC', week, customerQuietHours: null },
    abuse: { ipPerHour: null, callsPerDay: null, smsPerDay: null },
  },
});

const accepted = new Map(); // call reference → 202 time
const refs = new Map(); // call reference → lead id
let refused = 0;
const started = performance.now();
const submissions = [];
for (let i = 0; i < RATE * SECONDS; i++) {
  const due = started + (i * 1000) / RATE;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const phone = `+7916${String(1_000_000 + i).slice(-7)}`;
  submissions.push(
    fetch(`${shop.url}${ORDER_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Покупатель ${i}`, phone }),
    }).then(async (response) => {
      const at = Date.now();
      if (response.status !== 202) {
        refused++;
        return;
      }
      const { leadId } = await response.json();
      const ref = deriveCallRef(sims.settings.voximplant.secret, `lead:${leadId}:dial:1`);
      accepted.set(ref, at);
      refs.set(ref, leadId);
    }),
  );
}
await Promise.all(submissions);

// Wait until every accepted lead was dialled (or a minute passed: the rest count as not dialled).
const deadline = Date.now() + 60_000;
const dialled = new Map();
while (Date.now() < deadline) {
  for (const request of sims.voximplant.state.apiRequests) {
    if (request.method !== 'StartScenarios') continue;
    const customData = JSON.parse(request.params.script_custom_data ?? '{}');
    if (accepted.has(customData.r) && !dialled.has(customData.r)) dialled.set(customData.r, request.at);
  }
  if (dialled.size === accepted.size) break;
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const latencies = [...dialled].map(([ref, at]) => at - (accepted.get(ref) ?? at)).sort((a, b) => a - b);
const quantile = (q) =>
  latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
console.log(`e2e_intake_to_dial_p50_ms ${quantile(0.5)} ms`);
console.log(`e2e_intake_to_dial_p99_ms ${quantile(0.99)} ms`);
console.log(`e2e_leads_accepted ${accepted.size} leads`);
console.log(`e2e_leads_not_dialled ${accepted.size - dialled.size} leads`);
if (refused > 0) console.log(`e2e_leads_refused ${refused} leads`);

// Let the calls and the CRM follow-up finish, then count the portal's requests per lead.
const settleBy = Date.now() + (QUICK ? 90_000 : 300_000);
while (Date.now() < settleBy && (await store.stats()).unfinished > 0) {
  await new Promise((resolve) => setTimeout(resolve, 500));
}
const unfinished = (await store.stats()).unfinished;
const db = new DatabaseSync(join(dir, 'leads.db'), { readOnly: true });
const answered = db.prepare("SELECT COUNT(*) AS n FROM leads WHERE call_state = 'call.answered'").get().n;
db.close();
console.log(`b24_requests_per_lead ${(portalRequests / Math.max(1, accepted.size)).toFixed(2)} requests`);
console.log(`e2e_leads_answered ${answered} leads`);
if (unfinished > 0) console.log(`e2e_leads_unfinished ${unfinished} leads`);

await shop.stop();
await store.close();
await sims.close();
rmSync(dir, { recursive: true, force: true });
