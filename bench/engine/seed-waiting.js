// Child of wake-lateness.js: bulk-inserts `count` waiting night leads into the SQLite file `path`,
// wake-ups spread at random between `from` and `to` (ms since the epoch). A process of its own, so
// the million objects built here are not in the RSS of the engine's process.
import { randomUUID } from 'node:crypto';
import { SqliteLeadStore } from '@prozvon/sdk/stores/sqlite';
import { cloneNightLead, nightLeadTemplate } from '../lib/setup.js';

const [path, count, from, to] = process.argv.slice(2);
const template = await nightLeadTemplate();
const store = new SqliteLeadStore(path);
const BATCH = 20_000;
const total = Number(count);
const start = Number(from);
const span = Number(to) - start;
for (let done = 0; done < total; ) {
  const batch = [];
  for (let i = 0; i < BATCH && done < total; i++, done++) {
    const wakeAt = start + Math.floor(Math.random() * span);
    batch.push(
      cloneNightLead(template, {
        id: randomUUID(),
        crmLeadId: String(1_000_000 + done),
        // Submitted the evening before, some time in the 12 hours before its wake-up.
        submittedAt: wakeAt - 3_600_000 - Math.floor(Math.random() * 12 * 3_600_000),
        wakeAt,
      }),
    );
  }
  await store.insertLeads(batch);
}
await store.close();
