// One life of the engine for the crash harness: opens the SQLite file, starts the engine on an
// accelerated clock, submits the leads not submitted yet, and runs until it is killed (mode
// "run") or until every lead is finished or waiting for a future wake-up (mode "final").
import { join } from 'node:path';
import {
  DuplicateLeadError,
  LeadEngine,
  StaticTenants,
  silentLogger,
  tenantConfigSchema,
} from '../../dist/index.js';
import { SqliteLeadStore } from '../../dist/stores/sqlite/index.js';
import { AcceleratedClock } from '../../dist/testing/index.js';
import { DurableCrm, DurableNotifier, DurableSms, DurableVoice } from './durable-doubles.mjs';
import { DurableLog } from './durable-log.mjs';

const settings = JSON.parse(process.env.PROZVON_CRASH ?? '{}');
const { dir, leads, speed, simulatedStart, realStart, mode } = settings;
const log = new DurableLog(join(dir, 'received.log'));
const store = new SqliteLeadStore(join(dir, 'leads.db'));
const clock = new AcceleratedClock(speed, simulatedStart, realStart);
let engine;
const deliver = (request, outcome) =>
  engine
    .deliver(request.leadId, {
      type: 'CALL_RESULT',
      at: clock.now(),
      attempt: request.attempt,
      report: { key: request.key, outcome, durationSec: 12 },
    })
    .catch(() => {});
const ports = {
  crm: new DurableCrm(log),
  voice: new DurableVoice(log, deliver),
  sms: new DurableSms(log),
  notifier: new DurableNotifier(log),
};
const config = tenantConfigSchema.parse({ notify: ['newLead', 'crmFailed', 'manual', 'callOutcome'] });
engine = new LeadEngine(store, new StaticTenants([{ id: 'default', config, ports }]), clock, silentLogger(), {
  owner: `crash-${process.pid}`,
  // In simulated time: at this speed ten minutes pass in a second of real time.
  leaseMs: 10 * 60_000,
});
await engine.start();
// The engine's timers never hold a process open by themselves; this one lives until it is killed.
const keepAlive = setInterval(() => {}, 60_000);
process.stdout.write('ready\n');

// Two instances submit side by side: skip every index either has already submitted.
log.count('submitted');
const submitted = new Set(
  log.entries.filter((entry) => entry[0] === 'submitted').map((entry) => Number(entry[1])),
);
for (let index = 0; index < leads; index++) {
  if (submitted.has(index)) continue;
  const lead = {
    name: `Customer ${index}`,
    phone: `+7916${String(1_000_000 + index * 7919).slice(-7, -1)}${index % 10}`,
    ref: `crash-${index}`,
    ...(index % 5 === 0 ? { timezone: 'America/New_York' } : {}),
    ...(index % 3 === 0 ? { partnerCode: 'PARTNER42' } : {}),
  };
  try {
    const { leadId } = await engine.submitLead(lead);
    log.append('submitted', index, leadId);
  } catch (error) {
    if (!(error instanceof DuplicateLeadError)) throw error;
    log.append('submitted', index, error.leadId);
  }
}

if (mode === 'final') {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const quiet = await isQuiescent();
    if (quiet || Date.now() > deadline) {
      await engine.stop();
      clearInterval(keepAlive);
      process.stdout.write(`${JSON.stringify({ quiet, now: clock.now() })}\n`);
      process.exit(0);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Nothing due and nothing in flight: every lead finished or waiting for a wake-up in the future. */
async function isQuiescent() {
  const next = await store.nextDueAt();
  const stats = await store.stats();
  return (next === null || next > clock.now()) && stats.pendingEffects === 0 && (await noStartedEffects());
}

async function noStartedEffects() {
  const { DatabaseSync } = await import('node:sqlite');
  const db = new DatabaseSync(join(dir, 'leads.db'), { readOnly: true });
  try {
    return (
      db.prepare("SELECT COUNT(*) AS n FROM effects WHERE status = 'started' AND paid = 0").get().n === 0
    );
  } finally {
    db.close();
  }
}
