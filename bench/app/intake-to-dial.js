// app_intake_to_dial_p50_ms / _p99_ms: the Bitrix24 app (in a child process) with two portals that
// installed it through the real install flow; leads POSTed to `/p/<portalKey>/leads` with each
// portal's intake secret, 20 a second (open loop, alternating portals) for 10 s; a lead's time is
// from its 202 to the Voximplant simulator receiving its StartScenarios. The Bitrix24 simulator
// answers after 300 ms with its real 2 requests/s leaky bucket per portal.
import { figure, percentile, QUICK, sleep, startAppBench } from './lib.js';

const RATE = 20;
const SECONDS = QUICK ? 2 : 10;

const bench = await startAppBench({ portalCount: 2 });
bench.bitrix24.faults.latency(300);

const accepted = new Map(); // call reference → 202 time
const order = new Map(); // call reference → submit index
let refused = 0;
const started = performance.now();
const submissions = [];
for (let i = 0; i < RATE * SECONDS; i++) {
  const due = started + (i * 1000) / RATE;
  const wait = due - performance.now();
  if (wait > 0) await sleep(wait);
  const portal = bench.portals[i % bench.portals.length];
  submissions.push(
    bench.submit(portal, i).then(({ status, leadId, at }) => {
      if (status !== 202) refused++;
      else {
        const ref = bench.callRef(portal, leadId);
        accepted.set(ref, at);
        order.set(ref, i);
      }
    }),
  );
}
await Promise.all(submissions);

// Every accepted lead dialled, or 60 s passed (the rest count as not dialled).
const deadline = Date.now() + 60_000;
let dialled = bench.dials();
while (Date.now() < deadline && [...accepted.keys()].some((ref) => !dialled.has(ref))) {
  await sleep(100);
  dialled = bench.dials();
}
const latencies = [];
const slowest = [];
for (const [ref, at] of accepted) {
  const dialAt = dialled.get(ref);
  if (dialAt === undefined) continue;
  latencies.push(Math.max(0, dialAt - at));
  slowest.push([dialAt - at, order.get(ref)]);
}
// Which leads make the tail (the first of each portal builds its tenant, say).
slowest.sort((a, b) => b[0] - a[0]);
console.error(
  `# app intake: slowest (ms, lead #) ${slowest
    .slice(0, 6)
    .map(([ms, i]) => `${ms} #${i}`)
    .join(', ')}`,
);
figure('app_intake_to_dial_p50_ms', percentile(latencies, 50), 'ms');
figure('app_intake_to_dial_p99_ms', percentile(latencies, 99), 'ms');
figure('app_intake_to_dial_max_ms', percentile(latencies, 100), 'ms');
figure('app_intake_leads_accepted', accepted.size, 'leads');
figure('app_intake_leads_not_dialled', accepted.size - latencies.length, 'leads');
if (refused > 0) figure('app_intake_leads_refused', refused, 'leads');
await bench.stop();
