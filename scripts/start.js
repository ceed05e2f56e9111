// `npm start`: the engine on a SQLite file under ./.prozvon/, with console doubles for Bitrix24,
// Voximplant, SMS and Telegram, an accelerated clock (an hour passes in a second) and four sample
// leads: one answers, one is an answering machine, one answers on the retry, one arrives at night.
// Ctrl-C stops it; a second start resumes the leads it left.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  DuplicateLeadError,
  LeadEngine,
  StaticTenants,
  silentLogger,
  tenantConfigSchema,
} from '@prozvon/sdk';
import { SqliteLeadStore } from '@prozvon/sdk/stores/sqlite';
import { AcceleratedClock } from '@prozvon/sdk/testing';
import { consoleDoubles, demoOutcome } from './console-doubles.js';

const SPEED = 3_600;
const dir = join(process.cwd(), '.prozvon');
mkdirSync(dir, { recursive: true });
const dbPath = join(dir, 'demo.db');

// Simulated time starts today at 20:30 in Moscow: half an hour before the shop closes.
const today = new Date().toISOString().slice(0, 10);
const clock = new AcceleratedClock(SPEED, Date.parse(`${today}T17:30:00Z`));
const moscow = (ms) =>
  new Date(ms).toLocaleString('ru-RU', { timeZone: 'Europe/Moscow', dateStyle: 'short', timeStyle: 'short' });
const started = Date.now();
const print = (line) => console.log(line);

const ports = consoleDoubles(print);
let engine;
ports.voice.onStart = (request) => {
  const outcome = demoOutcome(request.phone, request.attempt);
  print(
    `  \x1b[2m[console double · Voximplant]\x1b[0m ringing ${request.phone} (attempt ${request.attempt})`,
  );
  // The provider's call history knows the outcome too, as the real one would after the call.
  ports.voice.history.set(request.key, {
    key: request.key,
    outcome,
    durationSec: outcome === 'answered' ? 34 : 0,
  });
  // The customer picks up (or not) about a simulated minute later.
  setTimeout(() => {
    engine
      .deliver(request.leadId, {
        type: 'CALL_RESULT',
        at: clock.now(),
        attempt: request.attempt,
        report: { key: request.key, outcome, durationSec: outcome === 'answered' ? 34 : 0 },
      })
      .catch((error) => console.error(error));
  }, 20);
};

const config = tenantConfigSchema.parse({
  shopName: 'Демо-магазин',
  notify: ['newLead', 'crmFailed', 'manual'],
});
const store = new SqliteLeadStore(dbPath);
engine = new LeadEngine(store, new StaticTenants([{ id: 'default', config, ports }]), clock, silentLogger());
const submittedAt = new Map();
engine.onStateChange((change) => {
  const from = change.from ? `${change.from.crmState} ${change.from.callState}` : 'new';
  const to = `${change.to.crmState} ${change.to.callState}`;
  const after = ((change.at - change.submittedAt) / 1000 / 60).toFixed(0);
  print(
    `lead ${change.leadId.slice(0, 8)}… ${from} → \x1b[1m${to}\x1b[0m  (${moscow(change.at)} Moscow, ${after} min after submit)`,
  );
  if (submittedAt.has(change.leadId) && isDone(change.to)) submittedAt.delete(change.leadId);
});
const isDone = (to) =>
  ['crm.created', 'crm.manual'].includes(to.crmState) &&
  ['call.answered', 'call.machine', 'call.invalid', 'call.manual'].includes(to.callState);

await engine.start();
print(
  `Prozvon demo: engine on ${dbPath}, simulated time ${moscow(clock.now())} Moscow, ${SPEED}× real time.`,
);
print('Every effect goes to a console double (no real CRM, calls, SMS or Telegram). Ctrl-C stops.\n');

const samples = [
  {
    at: 0,
    lead: {
      name: 'Анна',
      phone: '+7 916 000-00-01',
      partnerCode: 'PARTNER42',
      orderSum: 4990,
      currency: 'RUB',
      ref: 'demo-answers',
    },
  },
  { at: 0, lead: { name: 'Борис', phone: '8 (916) 000-00-02', ref: 'demo-machine' } },
  { at: 0, lead: { name: 'Вера', phone: '9160000003', site: 'shop.example', ref: 'demo-retry' } },
  { at: 45 * 60_000, lead: { name: 'Глеб', phone: '+79160000001', ref: 'demo-night' } },
];
for (const sample of samples) {
  const wait = sample.at / SPEED;
  await new Promise((resolve) => setTimeout(resolve, wait));
  try {
    const { leadId } = await engine.submitLead(sample.lead);
    submittedAt.set(leadId, clock.now());
    print(`submitted ${sample.lead.name} (${sample.lead.ref}) → lead ${leadId.slice(0, 8)}…`);
  } catch (error) {
    if (!(error instanceof DuplicateLeadError)) throw error;
    print(
      `${sample.lead.ref} is still in progress from the last run (lead ${error.leadId.slice(0, 8)}…): resuming it`,
    );
  }
}

const stop = async () => {
  await engine.stop();
  await store.close();
  print(`\nStopped after ${((Date.now() - started) / 1000).toFixed(1)} s. The leads are in ${dbPath}.`);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// Keep running until every lead this run submitted is finished, then stop by itself.
const poll = setInterval(async () => {
  const stats = await store.stats();
  if (stats.unfinished === 0) {
    clearInterval(poll);
    await stop();
  }
}, 250);
