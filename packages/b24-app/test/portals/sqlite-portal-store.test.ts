import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SqliteLeadStore } from '@prozvon/sdk/stores/sqlite';
import { describe, expect, it } from 'vitest';
import { APP_MIGRATIONS } from '../../src/portals/portal-migrations.js';
import { parseMasterKey, SecretBox, SecretError } from '../../src/portals/secrets.js';
import { SqlitePortalStore } from '../../src/portals/sqlite-portal-store.js';
import { install, portalStoreContract, T0, tokens } from './portal-store-contract.js';
import { useTempDir } from './temp-dir.js';

const newBox = () => new SecretBox(parseMasterKey(randomBytes(32).toString('base64')));

describe('SqlitePortalStore', () => {
  const dir = useTempDir();
  portalStoreContract(
    'SQLite',
    () => new SqlitePortalStore(join(dir(), 'prozvon.db'), { secrets: newBox() }),
  );

  it('shares the leads file: both migration sets apply, in either order, and again', async () => {
    for (const portalsFirst of [true, false]) {
      const file = join(dir(), `shared-${portalsFirst}.db`);
      const box = newBox();
      const portals1 = portalsFirst ? new SqlitePortalStore(file, { secrets: box }) : null;
      const leads = new SqliteLeadStore(file, { checkpointEveryMs: 0 });
      const portals = portals1 ?? new SqlitePortalStore(file, { secrets: box });
      await portals.upsertInstall(install());
      await leads.close();
      await portals.close();
      // Reopened: nothing to apply, nothing refused, the portal still there.
      const again = new SqlitePortalStore(file, { secrets: box });
      const leadsAgain = new SqliteLeadStore(file, { checkpointEveryMs: 0 });
      expect((await again.getByMemberId('member-a'))?.tokens).toEqual(tokens(1));
      await leadsAgain.close();
      await again.close();
      const db = new DatabaseSync(file);
      const ids = (table: string) =>
        db
          .prepare(`SELECT id FROM ${table} ORDER BY id`)
          .all()
          .map((r) => r.id);
      expect(ids('prozvon_app_migrations')).toEqual(APP_MIGRATIONS.map((m) => m.id).sort((x, y) => x - y));
      expect(ids('prozvon_migrations')).toContain(1);
      db.close();
    }
  });

  it('a transition is made by one of two stores on one file: the other learns it lost', async () => {
    const file = join(dir(), 'two.db');
    const box = newBox();
    const one = new SqlitePortalStore(file, { secrets: box });
    const two = new SqlitePortalStore(file, { secrets: box });
    await one.upsertInstall(install('member-a', { status: 'active' }));
    const won = [
      await one.setStatus('member-a', 'needs_reinstall', T0 + 1, ['installing', 'active']),
      await two.setStatus('member-a', 'needs_reinstall', T0 + 1, ['installing', 'active']),
    ];
    expect(won).toEqual([true, false]);
    expect((await two.getByMemberId('member-a'))?.status).toBe('needs_reinstall');
    await one.close();
    await two.close();
  });

  it('the database file never contains a token or secret in clear', async () => {
    const file = join(dir(), 'prozvon.db');
    const store = new SqlitePortalStore(file, { secrets: newBox() });
    const { portal } = await store.upsertInstall(install('member-a', { status: 'active' }));
    await store.updateTokens('member-a', tokens(2), portal.tokenVersion, T0 + 1);
    await store.updateSettings(
      'member-a',
      {
        settings: { tenant: { shopName: 'Shop' }, providers: {} },
        secrets: { 'sms.apiKey': 'sms-api-key-SECRET-777', 'telegram.botToken': '123:telegram-SECRET-888' },
      },
      { by: 'user 1', at: T0 + 2 },
    );
    const clear = [
      'app-token-member-a-cccccccc',
      tokens(1).accessToken,
      tokens(1).refreshToken,
      tokens(2).accessToken,
      tokens(2).refreshToken,
      'sms-api-key-SECRET-777',
      '123:telegram-SECRET-888',
    ];
    const scan = () => {
      // The main file, its WAL and its shared memory: wherever SQLite may have put a page.
      const bytes = readdirSync(dir())
        .filter((name) => name.startsWith('prozvon.db'))
        .map((name) => readFileSync(join(dir(), name)));
      expect(bytes.length).toBeGreaterThan(0);
      const all = Buffer.concat(bytes);
      expect(all.includes('member-a.bitrix24.ru')).toBe(true); // the scan does see the rows
      for (const secret of clear) expect(all.includes(secret), secret).toBe(false);
    };
    scan();
    await store.close();
    scan();
  });

  it('reads portals after the master key is rotated, and refuses them without the old key', async () => {
    const file = join(dir(), 'prozvon.db');
    const oldKey = parseMasterKey(randomBytes(32).toString('hex'));
    const first = new SqlitePortalStore(file, { secrets: new SecretBox(oldKey) });
    await first.upsertInstall(install());
    await first.close();
    const rotated = new SqlitePortalStore(file, {
      secrets: new SecretBox(parseMasterKey(randomBytes(32).toString('hex')), [oldKey]),
    });
    expect((await rotated.getByMemberId('member-a'))?.tokens).toEqual(tokens(1));
    await rotated.close();
    const lost = new SqlitePortalStore(file, { secrets: newBox() });
    await expect(lost.getByMemberId('member-a')).rejects.toThrow(SecretError);
    await lost.close();
  });

  it('re-encrypts every secret under the new key, after which the old key may go', async () => {
    const file = join(dir(), 'prozvon.db');
    const oldKey = parseMasterKey(randomBytes(32).toString('base64'));
    const newKey = parseMasterKey(randomBytes(32).toString('base64'));
    const first = new SqlitePortalStore(file, { secrets: new SecretBox(oldKey) });
    await first.upsertInstall(install('member-a'));
    await first.upsertInstall(install('member-b', { tokens: null, applicationToken: null }));
    await first.updateSettings(
      'member-a',
      { secrets: { intakeSecret: 'intake-0123456789' } },
      { by: 'u', at: T0 },
    );
    await first.close();
    const rotated = new SqlitePortalStore(file, { secrets: new SecretBox(newKey, [oldKey]) });
    expect(await rotated.reencryptAll()).toBe(1);
    expect(await rotated.reencryptAll()).toBe(0);
    await rotated.close();
    const onlyNew = new SqlitePortalStore(file, { secrets: new SecretBox(newKey) });
    expect(await onlyNew.getByMemberId('member-a')).toMatchObject({
      tokens: tokens(1),
      applicationToken: 'app-token-member-a-cccccccc',
      secrets: { intakeSecret: 'intake-0123456789' },
    });
    await onlyNew.close();
  });

  it('refuses a token moved from one portal row to another', async () => {
    const file = join(dir(), 'prozvon.db');
    const store = new SqlitePortalStore(file, { secrets: newBox() });
    await store.upsertInstall(install('member-a'));
    await store.upsertInstall(install('member-b'));
    const db = new DatabaseSync(file);
    db.exec(`UPDATE portals SET access_token = (SELECT access_token FROM portals WHERE member_id = 'member-a')
             WHERE member_id = 'member-b'`);
    db.close();
    await expect(store.getByMemberId('member-b')).rejects.toThrow(/integrity check/);
    await store.close();
  });
});
