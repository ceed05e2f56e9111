// leads_per_s: full lifecycles per second, sustained — submitted, CRM lead created, sellers told,
// dialled, answered (the voice double delivers CALL_RESULT right after startCall), confirmation
// SMS sent and the call written on the CRM card — with instant doubles on a SQLite file.
// sqlite_mb_per_100k_leads: the size of that file afterwards (WAL checkpointed into it), per 100k
// leads, each with its outbox rows and audit trail.
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SystemClock } from '@prozvon/sdk';
import { SqliteLeadStore } from '@prozvon/sdk/stores/sqlite';
import {
  checkpointedSize,
  countStoreCalls,
  cpuMsSince,
  doubles,
  engineOn,
  figure,
  phoneOf,
  QUICK,
  sleep,
  tempDir,
} from '../lib/setup.js';

const WARMUP_MS = QUICK ? 500 : 2_000;
const MEASURE_MS = QUICK ? 2_500 : 15_000;
/** Leads in progress at once: a closed loop, so a backlog cannot hide in the queues. */
const WINDOW = 256;

const { dir, remove } = tempDir('throughput');
const path = join(dir, 'leads.db');
const store = new SqliteLeadStore(path);
const calls = countStoreCalls(store);
const clock = new SystemClock();
const ports = doubles();
const engine = engineOn(store, clock, ports);

// A lifecycle is complete when the lead is final in both regions, its answered SMS is accepted and
// its call is on the CRM card: three signals per lead, in any order.
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
// Several submitters at once, as concurrent form posts would be: the store commits the writes of
// one event-loop turn together, so a single submitter awaiting each submit in turn would cap the
// run at one lead a turn, measuring the feeder rather than the engine.
const SUBMITTERS = 32;
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

await sleep(WARMUP_MS);
const from = {
  done: completed,
  at: performance.now(),
  cpu: process.cpuUsage(),
  calls: { ...calls },
  commits: store.commits,
};
await sleep(MEASURE_MS);
const seconds = (performance.now() - from.at) / 1000;
const cpuMs = cpuMsSince(from.cpu);
const done = completed - from.done;
const perLead = (name) => ((calls[name] ?? 0) - (from.calls[name] ?? 0)) / done;
const commitsPerLead = (store.commits - from.commits) / done;
stop = true;
wake?.();
await feeder;

figure('leads_per_s', done / seconds, 'leads/s');
figure('lifecycle_cpu_ms_per_lead', cpuMs / done, 'ms');
figure(
  'lifecycle_store_writes_per_lead',
  perLead('insertLead') + perLead('updateLead') + perLead('finishEffect'),
  'writes',
);
figure('lifecycle_effect_claims_per_lead', perLead('claimEffects'), 'claims');
// The writes and claims of one event-loop turn share one transaction (group commit).
figure('lifecycle_commits_per_lead', commitsPerLead, 'transactions');

closing = true;
await engine.stop();
await store.close();
const db = new DatabaseSync(path);
const leads = Number(db.prepare('SELECT COUNT(*) AS n FROM leads').get().n);
db.close();
figure('sqlite_mb_per_100k_leads', ((checkpointedSize(path) / leads) * 100_000) / 1e6, 'MB');
// Retention (the engine's keepFinishedMs): the same leads once their trails and outbox rows are
// pruned, counted as the pages in use (SQLite reuses freed pages; only VACUUM gives them back).
const pruner = new SqliteLeadStore(path);
await pruner.migrate();
while ((await pruner.pruneFinished(Number.MAX_SAFE_INTEGER, 500)) === 500);
await pruner.close();
const pruned = new DatabaseSync(path);
const pageSize = Number(pruned.prepare('PRAGMA page_size').get().page_size);
const inUse =
  Number(pruned.prepare('PRAGMA page_count').get().page_count) -
  Number(pruned.prepare('PRAGMA freelist_count').get().freelist_count);
pruned.close();
figure('sqlite_mb_per_100k_leads_pruned', (((inUse * pageSize) / leads) * 100_000) / 1e6, 'MB');
remove();
