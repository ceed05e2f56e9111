// One of the engine processes of pg_leads_per_s_3 (pg-throughput.js): an engine on the shared
// schema running the same closed loop as lib/lifecycles.js (instant doubles, answered at once, at
// most WINDOW of its own leads in progress), from the instant the parent names. It prints one
// line of JSON: its CPU time over the parent's measuring window. The parent counts the leads
// finished in the database: a lead submitted here may be finished by another process (a lease
// run out, a claim pump), which this process's own signals would never see.
import { SystemClock } from '@prozvon/sdk';
import { PostgresLeadStore } from '@prozvon/store-postgres';
import { doubles, engineOn, phoneOf, sharedStoreConfig, sleep } from '../lib/setup.js';

const { url, schema, writers, index, startAt, warmupMs, measureMs } = JSON.parse(process.argv[2]);
const WINDOW = 256;
const SUBMITTERS = 32;
/** A lead of ours not seen finished here after this long is taken as done by another process. */
const ELSEWHERE_MS = 3_000;

const store = await PostgresLeadStore.open({ url, schema, writeConcurrency: writers });
const clock = new SystemClock();
const ports = doubles();
const engine = engineOn(store, clock, ports, sharedStoreConfig(), { owner: `bench-${index}-${process.pid}` });
const pending = new Map();
let wake = null;
const done = (leadId) => {
  if (pending.delete(leadId)) wake?.();
};
engine.onStateChange(({ leadId, to }) => {
  if (to.crmState === 'crm.created' && to.callState === 'call.answered') done(leadId);
});
let closing = false;
ports.voice.onStart = (request) => {
  setImmediate(
    () =>
      closing ||
      engine
        .deliver('default', request.leadId, {
          type: 'CALL_RESULT',
          at: clock.now(),
          attempt: request.attempt,
          report: { key: request.key, outcome: 'answered', durationSec: 42 },
        })
        .catch((error) => console.error(error)),
  );
};
await engine.start();
await sleep(Math.max(0, startAt - Date.now()));

let stop = false;
let submitted = 0;
const waiters = [];
wake = () => {
  for (const resolve of waiters.splice(0)) resolve();
};
const sweep = setInterval(() => {
  const old = Date.now() - ELSEWHERE_MS;
  for (const [leadId, at] of pending) if (at < old) done(leadId);
}, 500);
const submitter = async () => {
  while (!stop) {
    if (pending.size >= WINDOW) {
      await new Promise((resolve) => waiters.push(resolve));
      continue;
    }
    const i = submitted++;
    const { leadId } = await engine.submitLead({
      name: `Покупатель ${index}-${i}`,
      phone: phoneOf(index * 1_000_000 + i),
      site: 'shop.example',
      orderSum: 990,
    });
    // Finished before submitLead returned (its signal found nothing to delete): not pending.
    if (!finishedEarly.delete(leadId)) pending.set(leadId, Date.now());
  }
};
// A lifecycle can end before its submit's promise resolves: remembered, so it is not counted open.
const finishedEarly = new Set();
engine.onStateChange(({ leadId, to }) => {
  if (to.crmState === 'crm.created' && to.callState === 'call.answered' && !pending.has(leadId))
    finishedEarly.add(leadId);
});
const feeder = Promise.all(Array.from({ length: SUBMITTERS }, submitter));

await sleep(warmupMs);
const cpu = process.cpuUsage();
await sleep(measureMs);
const used = process.cpuUsage(cpu);
stop = true;
wake();
await feeder;
clearInterval(sweep);
closing = true;
await engine.stop();
await store.close();
process.stdout.write(`${JSON.stringify({ cpuMs: (used.user + used.system) / 1000, submitted })}\n`);
