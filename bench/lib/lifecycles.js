// The closed loop of the throughput benchmarks (engine/throughput.js on SQLite,
// engine/pg-throughput.js on PostgreSQL): full lifecycles with instant doubles — submitted, CRM
// lead created, sellers told, dialled, answered (the voice double delivers CALL_RESULT right after
// startCall), confirmation SMS sent, call written on the CRM card — at most WINDOW in progress.
import { SystemClock } from '@prozvon/sdk';
import { countStoreCalls, cpuMsSince, doubles, engineOn, phoneOf, sleep } from './setup.js';

/** Leads in progress at once: a closed loop, so a backlog cannot hide in the queues. */
const WINDOW = 256;
// Several submitters at once, as concurrent form posts would be: the store commits the writes of
// one event-loop turn together, so a single submitter awaiting each submit in turn would cap the
// run at one lead a turn, measuring the feeder rather than the engine.
const SUBMITTERS = 32;

/**
 * Runs lifecycles on `store` for `warmupMs`, then measures `measureMs`; stops the engine (not the
 * store). Returns lifecycles per second, CPU per lifecycle, and the store calls and commits per
 * lifecycle (`store.commits`, when the store counts them). `meter` (lib/pg-backends.js), when
 * given, is read at both ends of the window: its difference per lifecycle is `meterPerLead`.
 */
export async function measureLifecycles(store, { warmupMs, measureMs, meter, config }) {
  const calls = countStoreCalls(store);
  const clock = new SystemClock();
  const ports = doubles();
  const engine = engineOn(store, clock, ports, config);

  // A lifecycle is complete when the lead is final in both regions, its answered SMS is accepted
  // and its call is on the CRM card: three signals per lead, in any order.
  const pending = new Map();
  let completed = 0;
  let wake = null;
  const signal = (leadId) => {
    const left = (pending.get(leadId) ?? 3) - 1;
    if (left > 0) {
      pending.set(leadId, left);
      return;
    }
    pending.delete(leadId);
    completed++;
    wake?.();
  };
  engine.onStateChange(({ leadId, to }) => {
    if (to.crmState === 'crm.created' && to.callState === 'call.answered') signal(leadId);
  });
  ports.sms.onSend = (message) => signal(message.key.split(':')[1]);
  ports.crm.onRecordCall = (crmLeadId) => signal(crmLeadId);
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
  let submitted = 0;
  let stop = false;
  const waiters = [];
  wake = () => {
    for (const resolve of waiters.splice(0)) resolve();
  };
  const submitter = async () => {
    while (!stop) {
      if (submitted - completed >= WINDOW) {
        await new Promise((resolve) => waiters.push(resolve));
        continue;
      }
      const i = submitted++;
      await engine.submitLead({
        name: `Покупатель ${i}`,
        phone: phoneOf(i),
        site: 'shop.example',
        orderSum: 990,
      });
    }
  };
  const feeder = Promise.all(Array.from({ length: SUBMITTERS }, submitter));

  await sleep(warmupMs);
  const from = {
    done: completed,
    at: performance.now(),
    cpu: process.cpuUsage(),
    calls: { ...calls },
    commits: store.commits,
    meter: await meter?.read(),
  };
  await sleep(measureMs);
  const metered = meter ? meter.since(from.meter, await meter.read()) : null;
  const seconds = (performance.now() - from.at) / 1000;
  const cpuMs = cpuMsSince(from.cpu);
  const done = completed - from.done;
  const perLead = (name) => ((calls[name] ?? 0) - (from.calls[name] ?? 0)) / done;
  const commitsPerLead = (store.commits - from.commits) / done;
  stop = true;
  wake?.();
  await feeder;
  closing = true;
  await engine.stop();
  return {
    leadsPerSecond: done / seconds,
    cpuMsPerLead: cpuMs / done,
    writesPerLead: perLead('insertLead') + perLead('updateLead') + perLead('finishEffect'),
    claimsPerLead: perLead('claimEffects'),
    commitsPerLead,
    meterPerLead:
      metered === null
        ? null
        : Object.fromEntries(Object.entries(metered).map(([k, v]) => [k, v === null ? null : v / done])),
  };
}
