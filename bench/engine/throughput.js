// leads_per_s: full lifecycles per second, sustained — submitted, CRM lead created, sellers told,
// dialled, answered (the voice double delivers CALL_RESULT right after startCall), confirmation
// SMS sent and the call written on the CRM card — with instant doubles on a SQLite file.
// sqlite_mb_per_100k_leads: the size of that file afterwards (WAL checkpointed into it), per 100k
// leads, each with its outbox rows and audit trail.
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SqliteLeadStore } from '@prozvon/sdk/stores/sqlite';
import { measureLifecycles } from '../lib/lifecycles.js';
import { checkpointedSize, figure, QUICK, tempDir } from '../lib/setup.js';

const { dir, remove } = tempDir('throughput');
const path = join(dir, 'leads.db');
const store = new SqliteLeadStore(path);
const run = await measureLifecycles(store, {
  warmupMs: QUICK ? 500 : 2_000,
  measureMs: QUICK ? 2_500 : 15_000,
});

figure('leads_per_s', run.leadsPerSecond, 'leads/s');
figure('lifecycle_cpu_ms_per_lead', run.cpuMsPerLead, 'ms');
figure('lifecycle_store_writes_per_lead', run.writesPerLead, 'writes');
figure('lifecycle_effect_claims_per_lead', run.claimsPerLead, 'claims');
// The writes and claims of one event-loop turn share one transaction (group commit).
figure('lifecycle_commits_per_lead', run.commitsPerLead, 'transactions');

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
