// One life of the engine for the crash harness: opens the SQLite file, starts the engine on an
// accelerated clock, submits the leads not submitted yet, and runs until it is killed (mode
// "run") or until every lead is finished (mode "final", which jumps over idle stretches).
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import {
  DuplicateLeadError,
  LeadEngine,
  StaticTenants,
  StoreBusyError,
  silentLogger,
  tenantConfigSchema,
} from '../../dist/index.js';
import { SqliteLeadStore } from '../../dist/stores/sqlite/index.js';
import { seededRandom } from '../support/seed.ts';
import { DurableCrm, DurableNotifier, DurableSms, DurableVoice } from './durable-doubles.mjs';
import { DurableLog } from './durable-log.mjs';
import { RelayClock } from './relay-clock.mjs';

const settings = JSON.parse(process.env.PROZVON_CRASH ?? '{}');
const { dir, leads, speed, simulatedStart, mode, life, seed } = settings;
// Every random choice of this life (retry jitter, the doubles' callback delays) from the run's
// seed and the life's number: PROZVON_SEED replays them.
Math.random = seededRandom((seed + Math.imul(life, 0x9e3779b9)) >>> 0);
const log = new DurableLog(join(dir, 'received.log'));
const store = new SqliteLeadStore(join(dir, 'leads.db'));
const clock = new RelayClock(join(dir, 'clock.log'), speed, simulatedStart);
let engine;
/** The lead's call state as stored, read on a connection of its own (opened once migrated). */
let reader;
const callStateOf = (leadId) => {
  reader ??= new DatabaseSync(join(dir, 'leads.db'), { readOnly: true, timeout: 10_000 });
  return reader.prepare('SELECT call_state FROM leads WHERE id = ?').get(leadId)?.call_state;
};
const deliver = (request, outcome) =>
  engine
    .deliver('default', request.leadId, {
      type: 'CALL_RESULT',
      at: clock.now(),
      attempt: request.attempt,
      report: { key: request.key, outcome, durationSec: 12 },
    })
    .catch(() => {});
const ports = {
  crm: new DurableCrm(log),
  voice: new DurableVoice(
    log,
    deliver,
    (leadId) => callStateOf(leadId),
    () => clock.now(),
  ),
  sms: new DurableSms(log),
  notifier: new DurableNotifier(log),
};
// No abuse limits: a life killed during a submit submits that lead again, and the clock runs
// hours in seconds; the harness counts crashes, not what the guard refuses (test/abuse/ does).
const NO_LIMITS = {
  phonePerHour: null,
  phonePerDay: null,
  ipPerHour: null,
  callsPerDay: null,
  smsPerDay: null,
};
const config = tenantConfigSchema.parse({
  notify: ['newLead', 'crmFailed', 'manual', 'callOutcome'],
  abuse: NO_LIMITS,
  // One call of the shop at a time: a burst of leads queues its dials past the callback timeout.
  maxCallsInFlight: 1,
});
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
  for (;;) {
    try {
      const { leadId } = await engine.submitLead(lead);
      log.append('submitted', index, leadId);
    } catch (error) {
      // The store stayed busy past its retries: what the intake answers with 503 and Retry-After,
      // and what a shop's form does then, try again.
      if (error instanceof StoreBusyError) {
        await new Promise((resolve) => setTimeout(resolve, error.retryAfterMs));
        continue;
      }
      if (!(error instanceof DuplicateLeadError)) throw error;
      log.append('submitted', index, error.leadId);
    }
    break;
  }
}

if (mode === 'final') {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const finished = allFinished();
    if (finished || Date.now() > deadline) {
      await engine.stop();
      clock.stop();
      clearInterval(keepAlive);
      process.stdout.write(`${JSON.stringify({ finished, now: clock.now() })}\n`);
      process.exit(0);
    }
    // Nothing to do until the next wake-up (a retry, the morning): go there at once.
    const next = await store.nextDueAt();
    if (next !== null && next > clock.now() && noEffectWaiting()) clock.jumpTo(next);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function readOnly(query) {
  // With the busy timeout every connection has: a WAL recovery in progress is waited for.
  const db = new DatabaseSync(join(dir, 'leads.db'), { readOnly: true, timeout: 10_000 });
  try {
    return db.prepare(query).get().n;
  } finally {
    db.close();
  }
}

/**
 * No effect is queued, and none is being done: a started effect that is not paid is in flight, or
 * waits for its dead owner's lease (a paid one stays started for good; its lead waits for its
 * callback timeout).
 */
function noEffectWaiting() {
  return (
    readOnly(
      "SELECT COUNT(*) AS n FROM effects WHERE status = 'pending' OR (status = 'started' AND paid = 0)",
    ) === 0
  );
}

function allFinished() {
  return readOnly('SELECT COUNT(*) AS n FROM leads WHERE finished = 0') === 0;
}
