import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import type { DashboardQuery } from '../../../src/ports/index.js';
import { SqliteLeadStore } from '../../../src/stores/sqlite/index.js';
import { applyMigrations, MIGRATIONS } from '../../../src/stores/sqlite/migrations.js';
import { runSeed, seededRandom } from '../../support/seed.js';
import { DAY, OUTCOMES } from '../dashboard-agreement.js';
import { newLead, T0 } from '../lead-store-fixtures.js';
import { useTempDir } from './temp-dir.js';

const ROLLUPS_MIGRATION = 14;

/** 300 random leads of two tenants over 100 days, some machine outcomes marked as a person. */
async function seedLeads(live: SqliteLeadStore, random: () => number): Promise<void> {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
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
}

describe('SQLite migration 14: the dashboard rollups of the leads stored before it', () => {
  const dir = useTempDir();

  it('builds rollups that give the figures the triggers give the same leads', async () => {
    // Leads written on today's schema: their rollups kept by the triggers, lead by lead…
    const random = seededRandom(runSeed());
    const liveFile = join(dir(), 'live.db');
    const live = new SqliteLeadStore(liveFile);
    await seedLeads(live, random);
    await live.close();

    // …and the same rows in a database of the schema before migration 14, migrated.
    const oldFile = join(dir(), 'old.db');
    await expectSameFigures(liveFile, oldFile, random);
    const db = new DatabaseSync(oldFile);
    const rows = db.prepare('SELECT COUNT(*) AS n FROM dashboard_rollups WHERE span = 32').get();
    db.close();
    // Not answered from the leads alone: the 90-day periods read whole 32-day blocks.
    expect(Number(rows?.n)).toBeGreaterThan(0);
  });

  it('has triggers that follow a lead moved to another partner, site, day or sum, counted, uncounted or deleted', async () => {
    const random = seededRandom(runSeed());
    const liveFile = join(dir(), 'live.db');
    const live = new SqliteLeadStore(liveFile);
    await seedLeads(live, random);
    await live.close();
    // Nothing Prozvon does moves a lead; the triggers keep the rollups right if something does.
    const db = new DatabaseSync(liveFile);
    db.exec(`
      UPDATE leads SET partner = 'P9', partner_name = 'Аня' WHERE id IN ('l1', 'l2', 'l3', 'l4');
      UPDATE leads SET site = NULL, outcome = 'manual' WHERE id IN ('l5', 'l6', 'l7');
      UPDATE leads SET submitted_at = submitted_at + ${40 * DAY}, first_ring_at = first_ring_at + 1000
        WHERE id IN ('l8', 'l9', 'l10');
      UPDATE leads SET order_sum = COALESCE(order_sum, 0) + 0.5, currency = 'USD' WHERE id IN ('l11', 'l12');
      UPDATE leads SET tenant_id = 'shop-2' WHERE id IN ('l13', 'l14');
      -- In progress leads enter the rollups once finished or given an outcome, and leave them
      -- if that is taken back (migration 21).
      UPDATE leads SET outcome = NULL, finished = 0 WHERE id BETWEEN 'l19' AND 'l27';
      UPDATE leads SET finished = 1 WHERE id IN ('l19', 'l20', 'l21', 'l22');
      UPDATE leads SET outcome = 'answered', answered_at = submitted_at + 1000 WHERE id IN ('l26', 'l27');
      -- A marked lead has an audit row (the mark's), which a lead is deleted after.
      DELETE FROM audit_log WHERE lead_id IN ('l15', 'l16', 'l17', 'l18');
      DELETE FROM leads WHERE id IN ('l15', 'l16', 'l17', 'l18');
    `);
    db.close();
    await expectSameFigures(liveFile, join(dir(), 'rebuilt.db'), random);
  });
});

/**
 * Copies the leads of `liveFile` into a database of the schema before migration 14 at `oldFile`,
 * migrates it (building the rollups from the rows), and checks both give the same figures.
 */
async function expectSameFigures(liveFile: string, oldFile: string, random: () => number): Promise<void> {
  const old = new DatabaseSync(oldFile);
  applyMigrations(
    old,
    MIGRATIONS.filter((m) => m.id < ROLLUPS_MIGRATION),
  );
  old.exec(`ATTACH DATABASE '${liveFile}' AS live`);
  // The columns of the old schema only: later migrations (retention's `pruned`) add more.
  const columns = old
    .prepare('SELECT name FROM pragma_table_info(?)')
    .all('leads')
    .map((row) => `"${String(row.name)}"`)
    .join(', ');
  old.exec(`INSERT INTO main.leads (${columns}) SELECT ${columns} FROM live.leads`);
  old.exec('DETACH DATABASE live');
  old.close();

  const before = new SqliteLeadStore(liveFile);
  const migrated = new SqliteLeadStore(oldFile);
  try {
    let compared = 0;
    for (const tenantId of ['shop-1', 'shop-2']) {
      for (const groupBy of ['partner', 'site'] as const) {
        const from = T0 + Math.floor(random() * 10 * DAY);
        const query: DashboardQuery = { from, to: from + 130 * DAY + 1, groupBy, timeZone: 'Europe/Moscow' };
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
}
