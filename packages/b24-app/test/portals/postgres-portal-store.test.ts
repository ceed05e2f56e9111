import { randomBytes } from 'node:crypto';
import { PostgresLeadStore } from '@prozvon/store-postgres';
import { createTestSchema, type TestSchema } from '@prozvon/store-postgres/testing';
import { findPostgres } from '@prozvon/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PostgresPortalStore } from '../../src/portals/postgres-portal-store.js';
import { parseMasterKey, SecretBox } from '../../src/portals/secrets.js';
import { install, portalStoreContract, T0, tokens } from './portal-store-contract.js';

// The PortalStore contract on PostgreSQL, in this file's own schema (emptied before each test),
// then what only several instances on one database show.

const postgres = findPostgres();
if (!postgres.found) console.warn(postgres.reason);
const newBox = () => new SecretBox(parseMasterKey(randomBytes(32).toString('base64')));

describe.skipIf(!postgres.found)('PostgresPortalStore', () => {
  let schema: TestSchema;
  beforeAll(async () => {
    if (postgres.found) schema = await createTestSchema(postgres.url, 'prozvon_portals_test');
  });
  afterAll(async () => schema?.drop());

  const open = async (box = newBox()) => {
    const store = await PostgresPortalStore.open({ url: schema.url, schema: schema.name, secrets: box });
    return store;
  };

  portalStoreContract('PostgreSQL', async () => {
    const store = await open();
    await schema.empty();
    return store;
  });

  describe('several instances', () => {
    const opened: { close(): Promise<void> }[] = [];
    beforeEach(async () => schema.empty());
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });
    const two = async () => {
      const box = newBox();
      const stores = [await open(box), await open(box)] as const;
      opened.push(...stores);
      return stores;
    };

    it('of two installs of one portal at once, one creates it and the other updates it', async () => {
      const [a, b] = await two();
      const results = await Promise.all([a.upsertInstall(install()), b.upsertInstall(install())]);
      expect(results.map((r) => r.created).sort()).toEqual([false, true]);
      expect((await a.getByMemberId('member-a'))?.tokenVersion).toBe(2);
    });

    it('one refresh lock holder at a time across instances', async () => {
      const [a, b] = await two();
      await a.upsertInstall(install());
      const taken = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? a : b).acquireRefreshLock('member-a', `h${i}`, T0 + 1, T0),
        ),
      );
      expect(taken.filter(Boolean)).toHaveLength(1);
    });

    it('settings written at once by two instances lose no secret', async () => {
      const [a, b] = await two();
      await a.upsertInstall(install());
      const settings = { tenant: {}, providers: {} };
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? a : b).updateSettings(
            'member-a',
            { settings, secrets: { [`s${i}`]: `v${i}` } },
            { by: `user-${i}`, at: T0 + i },
          ),
        ),
      );
      expect(Object.keys((await a.getByMemberId('member-a'))?.secrets ?? {})).toHaveLength(10);
      expect(await b.settingsHistory('member-a')).toHaveLength(10);
    });

    it('shares the schema with the leads: both migration sets apply, in either order, and again', async () => {
      const box = newBox();
      const leads = await PostgresLeadStore.open({ url: schema.url, schema: schema.name, poolSize: 2 });
      const portals = await open(box);
      opened.push(leads, portals);
      await portals.upsertInstall(install('member-b', { tokens: tokens(2) }));
      expect((await (await open(box)).getByMemberId('member-b'))?.tokens).toEqual(tokens(2));
    });

    it('never stores a token or secret in clear', async () => {
      const [a] = await two();
      await a.upsertInstall(install());
      await a.updateSettings(
        'member-a',
        { secrets: { 'sms.apiKey': 'sms-key-in-clear' } },
        { by: 'u', at: T0 },
      );
      const { Client } = (await import('pg')).default;
      const client = new Client({ connectionString: schema.url });
      await client.connect();
      try {
        const { rows } = await client.query(
          `SELECT row_to_json(p)::text AS row FROM ${schema.name}.portals p`,
        );
        const text = rows.map((row) => String(row.row)).join('\n');
        for (const clear of ['access-token-1', 'refresh-token-1', 'app-token-member-a', 'sms-key-in-clear'])
          expect(text).not.toContain(clear);
      } finally {
        await client.end();
      }
    });
  });
});
