import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import type { DashboardQuery, LeadOutcome } from '../../../src/ports/index.js';
import { SqliteLeadStore } from '../../../src/stores/sqlite/index.js';
import { applyMigrations, MIGRATIONS } from '../../../src/stores/sqlite/migrations.js';
import { runSeed, seededRandom } from '../../support/seed.js';
import { newLead, T0 } from '../lead-store-fixtures.js';
import { useTempDir } from './temp-dir.js';

const ROLLUPS_MIGRATION = 14;
const DAY = 86_400_000;
const OUTCOMES: readonly (LeadOutcome | null)[] = [
  'answered',
  'machine',
  'no_answer',
  'invalid',
  'manual',
  null,
];

describe('SQLite migration 14: the dashboard rollups of the leads stored before it', () => {
  const dir = useTempDir();

  it('builds rollups that give the figures the triggers give the same leads', async () => {
    // Leads written on today's schema: their rollups kept by the triggers, lead by lead…
    const random = seededRandom(runSeed());
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const liveFile = join(dir(), 'live.db');
    const live = new SqliteLeadStore(liveFile);
    for (let i = 0; i < 300; i += 1) {
      const submittedAt = T0 + Math.floor(random() * 100 * DAY);
      const outcome = pick(OUTCOMES);
      const rung = outcome !== 'invalid';
      const lead = newLead(`l${i}`, {
        tenantId: pick(['shop-1', 'shop-2']),
        submittedAt,
        facts: {
          partner: pick(['P1', 'P2', null]),
          partnerName: pick(['Иван', null]),
          site: pick(['a.example', null]),
          ...(random() < 0.8
            ? { orderSum: Math.floor(random() * 20_000) / 2, currency: pick(['RUB', null]) }
            : {}),
          outcome,
          firstRingAt: rung ? submittedAt + Math.floor(random() * 600_000) : null,
          answeredAt: outcome === 'answered' ? submittedAt + 600_000 + Math.floor(random() * 60_000) : null,
        },
      });
      await live.insertLead(lead, [], []);
      if (outcome === 'machine' && random() < 0.5)
        await live.markMachinePerson({ leadId: lead.id, tenantId: lead.tenantId, by: 'u', at: T0 });
    }
    await live.close();

    // …and the same rows in a database of the schema before migration 14, migrated.
    const oldFile = join(dir(), 'old.db');
    const old = new DatabaseSync(oldFile);
    applyMigrations(
      old,
      MIGRATIONS.filter((m) => m.id < ROLLUPS_MIGRATION),
    );
    old.exec(`ATTACH DATABASE '${liveFile}' AS live`);
    old.exec('INSERT INTO main.leads SELECT * FROM live.leads');
    old.exec('DETACH DATABASE live');
    old.close();

    const before = new SqliteLeadStore(liveFile);
    const migrated = new SqliteLeadStore(oldFile);
    try {
      let compared = 0;
      for (const tenantId of ['shop-1', 'shop-2']) {
        for (const groupBy of ['partner', 'site'] as const) {
          const from = T0 + Math.floor(random() * 10 * DAY);
          const query: DashboardQuery = { from, to: from + 90 * DAY + 1, groupBy, timeZone: 'Europe/Moscow' };
          const figures = await migrated.dashboard(tenantId, query);
          expect(figures).toEqual(await before.dashboard(tenantId, query));
          compared += figures.total.leads;
        }
      }
      expect(compared).toBeGreaterThan(200);
    } finally {
      await before.close();
      await migrated.close();
    }
    const db = new DatabaseSync(oldFile);
    const rows = db.prepare('SELECT COUNT(*) AS n FROM dashboard_rollups WHERE span = 32').get();
    db.close();
    // Not answered from the leads alone: the 90-day periods read whole 32-day blocks.
    expect(Number(rows?.n)).toBeGreaterThan(0);
  });
});
