import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { type AppFixture, startAppFixture } from './app-fixture.js';
import { eventually, submitIntake } from './app-requests.js';

/** Rows of the engine's store that belong to these leads (effects, audit) or this tenant (leads). */
function rowsOf(fixture: AppFixture, tenantId: string, leadIds: readonly string[]) {
  const db = new DatabaseSync(fixture.config.databasePath, { readOnly: true });
  try {
    const ids = JSON.stringify(leadIds);
    const count = (sql: string, ...params: string[]) => Number(db.prepare(sql).get(...params)?.n ?? 0);
    return {
      leads: count('SELECT count(*) AS n FROM leads WHERE tenant_id = ?', tenantId),
      effects: count('SELECT count(*) AS n FROM effects WHERE tenant_id = ?', tenantId),
      audit: count(
        'SELECT count(*) AS n FROM audit_log WHERE lead_id IN (SELECT value FROM json_each(?))',
        ids,
      ),
    };
  } finally {
    db.close();
  }
}

/** Two portals with two leads each, through their intake URLs; the lead ids by portal. */
async function twoPortalsWithLeads(fixture: AppFixture) {
  const leads: Record<string, string[]> = {};
  const members: Record<string, string> = {};
  for (const key of ['a', 'b']) {
    const portal = await fixture.install(key);
    members[key] = portal.memberId;
    leads[key] = [];
    for (const phone of ['+7 916 000-00-01', '+7 916 000-00-02']) {
      const answer = await submitIntake(fixture, portal.portalKey, portal.secrets['intake.secret'] ?? '', {
        name: 'Анна',
        phone,
      });
      expect(answer.status).toBe(202);
      leads[key]?.push(answer.body.leadId ?? '');
    }
  }
  // Each lead has effects and an audit trail before the uninstall.
  await eventually(
    () => rowsOf(fixture, members.a ?? '', leads.a ?? []),
    (rows) => rows.effects > 0 && rows.audit > 0,
    'portal a’s leads have effects and audit',
  );
  return { leads, members };
}

describe('ONAPPUNINSTALL and the portal’s leads', () => {
  let fixture: AppFixture;
  afterEach(async () => fixture?.close());

  it('with CLEAN=1 deletes every row of that portal in the engine’s store, and nothing of another', async () => {
    fixture = await startAppFixture({ portals: ['a', 'b'] });
    const { leads, members } = await twoPortalsWithLeads(fixture);
    const a = members.a ?? '';
    const b = members.b ?? '';
    const before = rowsOf(fixture, b, leads.b ?? []);

    await fixture.sim.uninstallApp(fixture.b24App.clientId, { portal: 'a', clean: true });
    await fixture.sim.idle();
    await fixture.app.idle();

    expect(rowsOf(fixture, a, leads.a ?? [])).toEqual({ leads: 0, effects: 0, audit: 0 });
    expect(rowsOf(fixture, b, leads.b ?? []).leads).toBe(before.leads);
    expect(rowsOf(fixture, b, leads.b ?? []).audit).toBeGreaterThanOrEqual(before.audit);
    const portal = await fixture.app.portals.getByMemberId(a);
    expect(portal?.status).toBe('uninstalled');
    expect(portal?.secrets).toEqual({});
    expect(fixture.logs.some((line) => line.audit === 'leads_erased' && line.deleted === 2)).toBe(true);
  });

  it('without CLEAN keeps the leads for the portal’s history, without any secret', async () => {
    fixture = await startAppFixture({ portals: ['a', 'b'] });
    const { leads, members } = await twoPortalsWithLeads(fixture);
    const a = members.a ?? '';

    await fixture.sim.uninstallApp(fixture.b24App.clientId, { portal: 'a' });
    await fixture.sim.idle();
    await fixture.app.idle();

    expect(rowsOf(fixture, a, leads.a ?? []).leads).toBe(2);
    const portal = await fixture.app.portals.getByMemberId(a);
    expect(portal?.status).toBe('uninstalled');
    expect(portal?.tokens).toBeNull();
    expect(portal?.secrets).toEqual({});
    expect(fixture.logs.some((line) => line.audit === 'leads_erased')).toBe(false);
  });
});
