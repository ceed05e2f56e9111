// One of the engine processes of pg_leads_per_s_3 (pg-throughput.js): an engine on the shared
// schema running the same closed loop as lib/lifecycles.js (instant doubles, answered at once, at
// most WINDOW of its own leads in progress), from the instant the parent names. It prints one
// line of JSON: its CPU time over the parent's measuring window. The parent counts the leads
// finished in the database: a lead submitted here may be finished by another process (a lease
// run out, a claim pump), which this process's own signals would never see, so a lead of its
// window is also let go once the database says it is finished.
import { readFileSync, writeFileSync } from 'node:fs';
import inspector from 'node:inspector/promises';
import { SystemClock } from '@prozvon/sdk';
import { createPgPool, PostgresLeadStore } from '@prozvon/store-postgres';
import { countQueries } from '../lib/pg-backends.js';
import { countStoreCalls, doubles, engineOn, phoneOf, sharedStoreConfig, sleep } from '../lib/setup.js';

const { url, schema, writers, index, startAt, warmupMs, measureMs } = JSON.parse(process.argv[2]);
const WINDOW = 256;
const SUBMITTERS = 32;
/** A lead of ours not seen finished here after this long is looked up: another process may have finished it. */
const ELSEWHERE_MS = 1_000;

const store = await PostgresLeadStore.open({ url, schema, writeConcurrency: writers });
const clock = new SystemClock();
// PROZVON_BENCH_PG_COUNTS=1: the store calls, statements and notifications of the window too.
const counting = process.env.PROZVON_BENCH_PG_COUNTS === '1';
const calls = counting ? countStoreCalls(store) : null;
const queries = counting ? countQueries() : null;
if (counting) {
  const watch = store.watchDue.bind(store);
  store.watchDue = (listener, onError) =>
    watch((at) => {
      calls.notified = (calls.notified ?? 0) + 1;
      listener(at);
    }, onError);
}
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
// A lead not seen finished here was once let go after 3 s as done elsewhere: with three windows
// of 256 a lifecycle can take longer than that on a loaded machine, and each process then
// submitted more than the window, which charged the CPU of leads begun and not finished to the
// finished ones. Let go once the database says it is finished, the loop stays closed.
const lookup = createPgPool({ url, schema, max: 1, applicationName: 'prozvon-bench' });
let sweeping = false;
const sweep = setInterval(async () => {
  if (sweeping) return;
  sweeping = true;
  try {
    const old = Date.now() - ELSEWHERE_MS;
    const ids = [...pending].filter(([, at]) => at < old).map(([leadId]) => leadId);
    if (ids.length === 0) return;
    const { rows } = await lookup.query('SELECT id FROM leads WHERE finished AND id = ANY($1)', [ids]);
    for (const { id } of rows) done(id);
  } catch (error) {
    console.error(error);
  } finally {
    sweeping = false;
  }
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
// PROZVON_BENCH_PG_PROFILE=<dir>: a CPU profile of the window alone, one file a process.
const profileDir = process.env.PROZVON_BENCH_PG_PROFILE;
const session = profileDir ? new inspector.Session() : null;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
const cpu = process.cpuUsage();
const switches = () => {
  const status = readFileSync('/proc/self/status', 'utf8');
  return {
    wakeups: Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0),
    preempted: Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0),
  };
};
// The window's store calls, statements (`q:` by name), commits, and context switches: `wakeups`
// (the process slept, waiting for work) and `preempted` (the kernel gave its core to another).
const countsOf = () => ({
  ...calls,
  statements: queries.count,
  commits: store.commits,
  ...switches(),
  ...Object.fromEntries([...queries.byName].map(([k, v]) => [`q:${k}`, v])),
});
const countsFrom = counting ? countsOf() : null;
await sleep(measureMs);
const used = process.cpuUsage(cpu);
if (session) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(`${profileDir}/child-${index}-${process.pid}.cpuprofile`, JSON.stringify(profile));
  session.disconnect();
}
const counts = counting
  ? Object.fromEntries(Object.entries(countsOf()).map(([k, v]) => [k, v - (countsFrom[k] ?? 0)]))
  : undefined;
// Its connections stay open a while: the parent reads their backends' CPU as the window ends.
await sleep(1_000);
stop = true;
wake();
await feeder;
clearInterval(sweep);
closing = true;
await engine.stop();
await store.close();
await lookup.end();
const cpuMs = (used.user + used.system) / 1000;
const split = counts && { ...counts, userMs: used.user / 1000, systemMs: used.system / 1000 };
process.stdout.write(`${JSON.stringify({ cpuMs, submitted, counts: split })}\n`);
