// One engine process of the scale-and-crash test: an engine on the shared PostgreSQL schema with
// 50 tenants whose ports are doubles that record every dial (with its start and end), every CRM
// lead created and every SMS in the table `scale_log` of the same schema, where the parent counts
// them. It submits (or adopts) its share of the leads, skipping those already recorded, and runs
// until it is killed (SIGKILL) or stopped (SIGTERM: the engine stops, then the process exits 0).
// Runs the built packages (plain Node), as the SDK's crash harness does.
import {
  createLogger,
  DuplicateLeadError,
  LeadEngine,
  PermanentError,
  StaticTenants,
  tenantConfigSchema,
} from '../../../sdk/dist/index.js';
import { behaviour } from '../../../sdk/test/crash/durable-doubles.mjs';
import { createPgPool, PostgresLeadStore } from '../../dist/index.js';
import { ScaleClock } from './scale-clock.mjs';

const settings = JSON.parse(process.env.PROZVON_SCALE ?? '{}');
const { url, schema, slot, slots, leads, tenants, speed, realStart, simulatedStart } = settings;
const clock = new ScaleClock(speed, realStart, simulatedStart);
const rawStore = await PostgresLeadStore.open({ url, schema, poolSize: 6 });
/** Store calls not answered yet, with when they began: one outstanding for 5 s is reported. */
const storeCalls = new Map();
let nextCall = 0;
const store = new Proxy(rawStore, {
  get(target, name) {
    const value = Reflect.get(target, name, target);
    if (typeof value !== 'function') return value;
    return (...args) => {
      const result = value.apply(target, args);
      if (!(result instanceof Promise)) return result;
      const id = ++nextCall;
      storeCalls.set(id, { name, since: Date.now(), arg: typeof args[0] === 'string' ? args[0] : undefined });
      return result.finally(() => storeCalls.delete(id));
    };
  },
});
setInterval(() => {
  for (const { name, since, arg } of storeCalls.values())
    if (Date.now() - since > 5_000)
      process.stdout.write(`store.${String(name)}(${arg ?? ''}) unanswered for ${Date.now() - since} ms\n`);
}, 2_000).unref();
const pool = createPgPool({ url, schema, max: 4, applicationName: 'prozvon-scale-log' });
const record = (kind, key, leadId, tenantId, t0 = null, t1 = null, extra = null) =>
  pool.query(
    'INSERT INTO scale_log (kind, key, lead_id, tenant_id, pid, t0, t1, extra) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id',
    [kind, key, leadId, tenantId, process.pid, t0, t1, extra],
  );
const found = async (kind, key) =>
  (await pool.query('SELECT lead_id, extra FROM scale_log WHERE kind = $1 AND key = $2 LIMIT 1', [kind, key]))
    .rows[0];

let engine;
/** The CRM: one lead per key, looked up first as the Bitrix24 adapter does (ORIGIN_ID). */
const crmFor = (tenantId) => ({
  async findPartner(code) {
    return code === 'PARTNER42' ? { id: '7', name: 'Partner 42', entity: 'company' } : null;
  },
  async createLead(request) {
    const existing = await found('crm-lead', request.key);
    if (existing) return { id: existing.extra };
    const id = `${tenantId}-${request.key}`;
    await record('crm-lead', request.key, null, tenantId, null, null, id);
    return { id };
  },
  async findLeadByKey(key) {
    const existing = await found('crm-lead', key);
    return existing ? { id: existing.extra } : null;
  },
  async markNoAnswer() {},
  async recordCall() {},
});
/** Dial requests not answered yet, by key, with when they began: a hung one is reported. */
const dialsInFlight = new Map();
setInterval(() => {
  for (const [key, since] of dialsInFlight)
    if (Date.now() - since > 5_000)
      process.stdout.write(`dial ${key} in flight for ${Date.now() - since} ms\n`);
}, 2_000).unref();

/** StartScenarios: recorded as the request arrives, with its end written once it answers. */
const placeCall = async (tenantId, request) => {
  const { outcome, callback } = behaviour(request.phone, request.attempt);
  // The provider's history has it from its arrival; a kill before the answer leaves the end empty.
  const { rows } = await record('dial', request.key, request.leadId, tenantId, Date.now(), null, outcome);
  // StartScenarios takes a moment: long enough that two calls of one shop would overlap.
  await new Promise((resolve) => setTimeout(resolve, 15 + Math.floor(Math.random() * 25)));
  await pool.query('UPDATE scale_log SET t1 = $1 WHERE id = $2', [Date.now(), rows[0].id]);
  if (callback && outcome !== null) {
    setTimeout(
      () =>
        engine
          .deliver(tenantId, request.leadId, {
            type: 'CALL_RESULT',
            at: clock.now(),
            attempt: request.attempt,
            report: { key: request.key, outcome, durationSec: 12 },
          })
          .catch(() => {}),
      1 + Math.floor(Math.random() * 40),
    );
  }
  return { sessionId: `s-${request.key}` };
};

/** The telephony provider: every call placed is recorded with when its start began and ended. */
const voiceFor = (tenantId) => ({
  async startCall(request) {
    dialsInFlight.set(request.key, Date.now());
    try {
      return await placeCall(tenantId, request);
    } finally {
      dialsInFlight.delete(request.key);
    }
  },
  async findCall(key) {
    const dial = await found('dial', key);
    if (!dial) return null;
    if (dial.extra === null) throw new PermanentError('call history is unavailable');
    return { key, outcome: dial.extra, durationSec: 7 };
  },
});
const sms = { send: async (message) => ({ provider: 'scale', messageId: message.key, segments: 1 }) };
const notifier = { notify: async () => {} };

const config = tenantConfigSchema.parse({
  abuse: { phonePerHour: null, phonePerDay: null, ipPerHour: null, callsPerDay: null, smsPerDay: null },
  // One call of each shop at a time: the cap the parent checks across the processes.
  maxCallsInFlight: 1,
  // Retries soon, so that three attempts of a lead fit in the test's patience.
  retryIntervalMinutes: 5,
  // Open around the clock: at 600× a shop's day lasts about a minute of real time, and on a busy CI
  // machine a retry could fall after closing and wait for the morning (72 s), past the parent's
  // patience. The customers' own quiet hours still hold: New York's night leads wait for its morning.
  hours: {
    week: Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, { from: '00:00', to: '24:00' }]),
    ),
  },
});
const tenantIds = Array.from({ length: tenants }, (_, i) => `shop-${i}`);
const directory = new StaticTenants(
  tenantIds.map((id) => ({ id, config, ports: { crm: crmFor(id), voice: voiceFor(id), sms, notifier } })),
);
// Warnings and errors only, on stdout: the parent prints a child's output when the test fails.
engine = new LeadEngine(store, directory, clock, createLogger({ level: 'warn' }), {
  owner: `scale-${slot}-${process.pid}`,
  // In simulated time (scale-crash.test.ts says why so long): 9 s of real time at 200×.
  leaseMs: 30 * 60_000,
});
await engine.start();
// A claim loop or a tick running for 5 s of real time is stuck: said, with each lane's effects in flight.
setInterval(async () => {
  const health = await engine.health();
  const stuckAfter = 5_000 * speed;
  if (
    (health.effects.pumpRunningForMs ?? 0) > stuckAfter ||
    (health.scheduler.tickRunningForMs ?? 0) > stuckAfter
  )
    process.stdout.write(`stuck: ${JSON.stringify(health)}\n`);
}, 2_000).unref();
const keepAlive = setInterval(() => {}, 60_000);
process.once('SIGTERM', async () => {
  process.stdout.write(`health at SIGTERM: ${JSON.stringify(await engine.health())}\n`);
  await engine.stop();
  await store.close();
  await pool.end();
  clearInterval(keepAlive);
  process.exit(0);
});
process.stdout.write('ready\n');

// This slot's share of the leads; every path: most submitted, some adopted from the CRM, a fifth
// at night in New York (woken in the morning), and by the phone's last digit retries and outcomes.
const done = new Set(
  (await pool.query("SELECT key FROM scale_log WHERE kind = 'submitted'")).rows.map((row) => row.key),
);
/** Submits (or adopts) lead `index` and records it; a repeat after a crash answers the first. */
const submit = async (index) => {
  const key = String(index);
  if (done.has(key)) return;
  const tenantId = tenantIds[index % tenants];
  const lead = {
    name: `Customer ${index}`,
    phone: `+7916${String(1_000_000 + index * 7919).slice(-7, -1)}${index % 10}`,
    ref: `scale-${index}`,
    ...(index % 5 === 0 ? { timezone: 'America/New_York' } : {}),
    ...(index % 3 === 0 ? { partnerCode: 'PARTNER42' } : {}),
  };
  let leadId;
  try {
    leadId =
      index % 7 === 3
        ? (await engine.adoptCrmLead(tenantId, lead, { crmLeadId: 100_000 + index })).leadId
        : (await engine.submitLead(lead, tenantId)).leadId;
  } catch (error) {
    if (!(error instanceof DuplicateLeadError)) throw error;
    leadId = error.leadId;
  }
  await record('submitted', key, leadId, tenantId);
};
// Several forms posting at once, as a shop's visitors do (one at a time, 10,000 leads took minutes).
const mine = [];
for (let index = slot; index < leads; index += slots) mine.push(index);
await Promise.all(
  Array.from({ length: 8 }, async () => {
    for (let index = mine.shift(); index !== undefined; index = mine.shift()) await submit(index);
  }),
);
process.stdout.write('submitted\n');
