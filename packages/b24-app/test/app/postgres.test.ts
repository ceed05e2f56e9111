import { existsSync } from 'node:fs';
import { PostgresLeadStore } from '@prozvon/store-postgres';
import { createTestSchema, type TestSchema } from '@prozvon/store-postgres/testing';
import { findPostgres } from '@prozvon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appConfigFromEnv } from '../../src/config/app-config.js';
import { SECRET_NAMES } from '../../src/settings/portal-providers.js';
import { type AppFixture, startAppFixture } from './app-fixture.js';
import { eventually, submitIntake } from './app-requests.js';

// PROZVON_DATABASE_URL puts the app's leads in PostgreSQL (issue 17): a lead submitted to a portal
// is called and finished there, and the portals are kept there too.

const postgres = findPostgres();
if (!postgres.found) console.warn(postgres.reason);

describe('PROZVON_DATABASE_URL', () => {
  const env = {
    PROZVON_B24_CLIENT_ID: 'local.1',
    PROZVON_B24_CLIENT_SECRET: 's',
    PROZVON_PUBLIC_URL: 'https://prozvon.example.com',
  };

  it('is read with its schema, and a URL that is not PostgreSQL’s is named', () => {
    expect(appConfigFromEnv({ ...env })).toMatchObject({ databaseUrl: null, databaseSchema: null });
    expect(
      appConfigFromEnv({ ...env, PROZVON_DATABASE_URL: 'postgres://h/db', PROZVON_DATABASE_SCHEMA: 'shop' }),
    ).toMatchObject({ databaseUrl: 'postgres://h/db', databaseSchema: 'shop' });
    expect(() => appConfigFromEnv({ ...env, PROZVON_DATABASE_URL: 'mysql://u:pw@h/db' })).toThrow(
      '@prozvon/b24-app: PROZVON_DATABASE_URL: must be a postgres:// URL (unset: SQLite)',
    );
  });
});

describe.skipIf(!postgres.found)('the app on PostgreSQL', () => {
  let schema: TestSchema;
  let fixture: AppFixture;
  let leads: PostgresLeadStore;

  beforeAll(async () => {
    if (!postgres.found) return;
    schema = await createTestSchema(postgres.url, 'prozvon_app_test');
    fixture = await startAppFixture({
      voice: true,
      config: { databaseUrl: postgres.url, databaseSchema: schema.name },
    });
    leads = await PostgresLeadStore.open({ url: postgres.url, schema: schema.name, poolSize: 2 });
  }, 60_000);
  afterAll(async () => {
    await leads?.close();
    await fixture?.close();
    await schema?.drop();
  });

  it('calls a submitted lead and finishes it, stored in PostgreSQL', async () => {
    const portal = await fixture.install();
    const submitted = await submitIntake(
      fixture,
      portal.portalKey,
      portal.secrets[SECRET_NAMES.intake] ?? '',
      {
        name: 'Анна',
        phone: '+79160000001',
      },
    );
    expect(submitted.status).toBe(202);
    const leadId = submitted.body.leadId ?? '';
    const lead = await eventually(
      () => leads.getLead(leadId),
      (found) => found?.finished === true,
      'the lead finished in PostgreSQL',
    );
    expect(lead).toMatchObject({ tenantId: portal.memberId, callState: 'call.answered' });
    expect((await leads.getEffects(leadId)).map((effect) => effect.kind)).toContain('dial');
    // Portals, the REST log and the request budgets too: no SQLite file is made at all.
    expect(existsSync(fixture.config.databasePath)).toBe(false);
    await fixture.app.flushRestLog();
    const { Client } = (await import('pg')).default;
    const client = new Client({ connectionString: schema.url });
    await client.connect();
    try {
      const logged = await client.query(
        `SELECT DISTINCT method FROM ${schema.name}.portal_rest_log WHERE member_id = $1`,
        [portal.memberId],
      );
      expect(logged.rows.map((row) => row.method)).toContain('event.bind');
      // Its requests took from the portal's budget, shared with any other instance.
      const budgets = await client.query(
        `SELECT member_id FROM ${schema.name}.portal_request_budgets WHERE member_id = $1`,
        [portal.memberId],
      );
      expect(budgets.rowCount).toBe(1);
    } finally {
      await client.end();
    }
    expect((await fixture.app.portals.getByMemberId(portal.memberId))?.status).toBe('active');
  });
});
