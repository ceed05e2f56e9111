import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PortalInstall, PortalStore, PortalTokens } from '../../src/portals/portal-store.js';

export const T0 = Date.UTC(2026, 11, 7, 8, 0, 0);

export const tokens = (n: number): PortalTokens => ({
  accessToken: `access-token-${n}-aaaaaaaaaaaa`,
  refreshToken: `refresh-token-${n}-bbbbbbbbbbbb`,
  expiresAt: T0 + n * 3_600_000,
});

export const install = (memberId = 'member-a', over: Partial<PortalInstall> = {}): PortalInstall => ({
  memberId,
  domain: `${memberId}.bitrix24.ru`,
  serverEndpoint: 'https://oauth.bitrix.info/rest/',
  clientEndpoint: `https://${memberId}.bitrix24.ru/rest/`,
  applicationToken: `app-token-${memberId}-cccccccc`,
  tokens: tokens(1),
  at: T0,
  ...over,
});

/** The PortalStore contract, run against every implementation. */
export function portalStoreContract(name: string, open: () => PortalStore): void {
  describe(`PortalStore contract: ${name}`, () => {
    let store: PortalStore;
    beforeEach(() => {
      store = open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('creates a portal on its first install, installing, with a random url-safe portalKey', async () => {
      const { portal, created } = await store.upsertInstall(install());
      expect(created).toBe(true);
      expect(portal).toMatchObject({
        memberId: 'member-a',
        domain: 'member-a.bitrix24.ru',
        serverEndpoint: 'https://oauth.bitrix.info/rest/',
        clientEndpoint: 'https://member-a.bitrix24.ru/rest/',
        status: 'installing',
        applicationToken: 'app-token-member-a-cccccccc',
        tokens: tokens(1),
        settings: { tenant: {}, providers: {} },
        secrets: {},
        settingsChangedBy: null,
        settingsChangedAt: null,
        installedAt: T0,
        updatedAt: T0,
      });
      expect(portal.portalKey).toMatch(/^[A-Za-z0-9_-]{24}$/);
      const other = await store.upsertInstall(install('member-b'));
      expect(other.portal.portalKey).not.toBe(portal.portalKey);
    });

    it('a second install of the same portal updates it, never duplicates it', async () => {
      const first = await store.upsertInstall(install());
      await store.updateSettings(
        'member-a',
        {
          settings: { tenant: { shopName: 'Shop' }, providers: {} },
          secrets: { intakeSecret: 'intake-0123456789' },
        },
        { by: 'user 1', at: T0 + 1 },
      );
      await store.setStatus('member-a', 'active', T0 + 2);
      const second = await store.upsertInstall(
        install('member-a', {
          domain: 'renamed.bitrix24.ru',
          applicationToken: 'app-token-2-dddddddd',
          tokens: tokens(2),
          status: 'active',
          at: T0 + 10,
        }),
      );
      expect(second.created).toBe(false);
      expect(second.portal).toMatchObject({
        portalKey: first.portal.portalKey,
        domain: 'renamed.bitrix24.ru',
        applicationToken: 'app-token-2-dddddddd',
        tokens: tokens(2),
        status: 'active',
        settings: { tenant: { shopName: 'Shop' }, providers: {} },
        secrets: { intakeSecret: 'intake-0123456789' },
        installedAt: T0,
        updatedAt: T0 + 10,
      });
      expect(second.portal.tokenVersion).toBeGreaterThan(first.portal.tokenVersion);
      expect(await store.listActive()).toHaveLength(1);
      expect(await store.getByPortalKey(first.portal.portalKey)).toEqual(second.portal);
    });

    it('finds a portal by member id and by portalKey, and nothing for an unknown one', async () => {
      const { portal } = await store.upsertInstall(install());
      expect(await store.getByMemberId('member-a')).toEqual(portal);
      expect(await store.getByPortalKey(portal.portalKey)).toEqual(portal);
      expect(await store.getByMemberId('member-x')).toBeNull();
      expect(await store.getByPortalKey('no-such-key')).toBeNull();
    });

    it('updates tokens only at the expected version: of two refreshes from one read, one wins', async () => {
      const { portal } = await store.upsertInstall(install());
      const [a, b] = await Promise.all([
        store.updateTokens('member-a', tokens(2), portal.tokenVersion, T0 + 1),
        store.updateTokens('member-a', tokens(3), portal.tokenVersion, T0 + 1),
      ]);
      expect(a).toEqual({ updated: true, tokenVersion: portal.tokenVersion + 1 });
      expect(b).toEqual({ updated: false });
      const stored = await store.getByMemberId('member-a');
      expect(stored?.tokens).toEqual(tokens(2));
      expect(stored?.tokenVersion).toBe(portal.tokenVersion + 1);
      expect(await store.updateTokens('member-a', tokens(4), portal.tokenVersion + 1, T0 + 2)).toEqual({
        updated: true,
        tokenVersion: portal.tokenVersion + 2,
      });
      expect(await store.updateTokens('member-x', tokens(4), 1, T0)).toEqual({ updated: false });
    });

    it('sets the status, and says false for an unknown portal', async () => {
      await store.upsertInstall(install());
      for (const status of ['active', 'needs_reinstall', 'installing'] as const) {
        expect(await store.setStatus('member-a', status, T0 + 5)).toBe(true);
        expect((await store.getByMemberId('member-a'))?.status).toBe(status);
      }
      expect(await store.setStatus('member-x', 'active', T0)).toBe(false);
    });

    it('a transition (`from`) is made once: the second of two identical ones says false', async () => {
      await store.upsertInstall(install());
      await store.setStatus('member-a', 'active', T0 + 1);
      const both = await Promise.all([
        store.setStatus('member-a', 'needs_reinstall', T0 + 2, ['installing', 'active']),
        store.setStatus('member-a', 'needs_reinstall', T0 + 2, ['installing', 'active']),
      ]);
      expect(both.sort()).toEqual([false, true]);
      expect((await store.getByMemberId('member-a'))?.status).toBe('needs_reinstall');
      // From a status not listed: nothing changes.
      expect(await store.setStatus('member-a', 'active', T0 + 3, ['uninstalled'])).toBe(false);
      expect((await store.getByMemberId('member-a'))?.status).toBe('needs_reinstall');
      expect(await store.setStatus('member-x', 'active', T0, ['installing'])).toBe(false);
    });

    it('updates settings and secrets with who and when, keeping the history newest first', async () => {
      await store.upsertInstall(install());
      const settings = {
        tenant: { shopName: 'Shop', maxAttempts: 2 },
        providers: { sms: { provider: 'smsru' }, telegram: { chatId: -100 } },
      };
      expect(
        await store.updateSettings(
          'member-a',
          {
            settings,
            secrets: { 'sms.apiKey': 'sms-key-0123456789', 'telegram.botToken': '1:bot-token-xyz' },
          },
          { by: 'user 1', at: T0 + 1 },
        ),
      ).toBe(true);
      // Secrets only: the settings stay; one secret deleted, one replaced, the others kept.
      await store.updateSettings(
        'member-a',
        { secrets: { 'sms.apiKey': null, intakeSecret: 'intake-abcdef012345' } },
        { by: 'user 2', at: T0 + 2 },
      );
      const portal = await store.getByMemberId('member-a');
      expect(portal?.settings).toEqual(settings);
      expect(portal?.secrets).toEqual({
        'telegram.botToken': '1:bot-token-xyz',
        intakeSecret: 'intake-abcdef012345',
      });
      expect(portal).toMatchObject({
        settingsChangedBy: 'user 2',
        settingsChangedAt: T0 + 2,
        updatedAt: T0 + 2,
      });
      expect(await store.settingsHistory('member-a')).toEqual([
        { by: 'user 2', at: T0 + 2 },
        { by: 'user 1', at: T0 + 1 },
      ]);
      expect(await store.updateSettings('member-x', { settings }, { by: 'user 1', at: T0 })).toBe(false);
      expect(await store.settingsHistory('member-x')).toEqual([]);
    });

    it('settings carry a version: a write at a stale version changes nothing (two admins, one wins)', async () => {
      const { portal } = await store.upsertInstall(install());
      expect(portal.settingsVersion).toBe(0);
      const mine = { tenant: { shopName: 'Mine' }, providers: {} };
      const theirs = { tenant: { shopName: 'Theirs' }, providers: {} };
      // Both read version 0; both write expecting it.
      const both = await Promise.all([
        store.updateSettings(
          'member-a',
          { settings: mine, expectedVersion: 0 },
          { by: 'user 1', at: T0 + 1 },
        ),
        store.updateSettings(
          'member-a',
          { settings: theirs, expectedVersion: 0 },
          { by: 'user 2', at: T0 + 1 },
        ),
      ]);
      expect([...both].sort()).toEqual([false, true]);
      const after = await store.getByMemberId('member-a');
      expect(after?.settingsVersion).toBe(1);
      expect(after?.settings).toEqual(both[0] ? mine : theirs);
      expect(await store.settingsHistory('member-a')).toHaveLength(1);
      // Without an expected version every write goes in, and each bumps the version.
      await store.updateSettings('member-a', { secrets: { x: 'secret-value-1' } }, { by: 'app', at: T0 + 2 });
      expect((await store.getByMemberId('member-a'))?.settingsVersion).toBe(2);
      // A reinstall keeps the settings and their version.
      await store.upsertInstall(install('member-a', { at: T0 + 3 }));
      expect((await store.getByMemberId('member-a'))?.settingsVersion).toBe(2);
    });

    it('deletes every secret on uninstall, keeping the row, its settings and their history', async () => {
      const { portal } = await store.upsertInstall(install('member-a', { status: 'active' }));
      const settings = { tenant: { shopName: 'Shop' }, providers: {} };
      await store.updateSettings(
        'member-a',
        { settings, secrets: { intakeSecret: 'intake-0123456789' } },
        { by: 'user 1', at: T0 + 1 },
      );
      expect(await store.uninstall('member-a', T0 + 5)).toBe(true);
      const gone = await store.getByMemberId('member-a');
      expect(gone).toMatchObject({
        portalKey: portal.portalKey,
        status: 'uninstalled',
        applicationToken: null,
        tokens: null,
        secrets: {},
        settings,
        settingsChangedBy: 'user 1',
        updatedAt: T0 + 5,
      });
      // A refresh that read the tokens before the uninstall cannot write them back.
      expect(await store.updateTokens('member-a', tokens(2), portal.tokenVersion, T0 + 6)).toEqual({
        updated: false,
      });
      expect(await store.settingsHistory('member-a')).toEqual([{ by: 'user 1', at: T0 + 1 }]);
      expect(await store.listActive()).toEqual([]);
      expect(await store.uninstall('member-x', T0)).toBe(false);
      // A reinstall brings it back under the same portalKey.
      const again = await store.upsertInstall(install('member-a', { tokens: tokens(3), at: T0 + 9 }));
      expect(again).toMatchObject({
        created: false,
        portal: { portalKey: portal.portalKey, tokens: tokens(3) },
      });
    });

    it('lists the active portals only, by member id', async () => {
      await store.upsertInstall(install('member-c', { status: 'active' }));
      await store.upsertInstall(install('member-a', { status: 'active' }));
      await store.upsertInstall(install('member-b'));
      await store.upsertInstall(install('member-d', { status: 'active' }));
      await store.setStatus('member-d', 'needs_reinstall', T0 + 1);
      const active = await store.listActive();
      expect(active.map((portal) => portal.memberId)).toEqual(['member-a', 'member-c']);
      expect(active[0]?.tokens).toEqual(tokens(1));
    });

    it('refresh lock: one holder at a time, taken over once expired, released only by its holder', async () => {
      expect(await store.acquireRefreshLock('member-a', 'p1', T0 + 30_000, T0)).toBe(true);
      expect(await store.acquireRefreshLock('member-a', 'p2', T0 + 30_000, T0 + 1)).toBe(false);
      // Another portal's lock is another lock.
      expect(await store.acquireRefreshLock('member-b', 'p2', T0 + 30_000, T0 + 1)).toBe(true);
      // The holder may take it again (extend); someone else cannot release it.
      expect(await store.acquireRefreshLock('member-a', 'p1', T0 + 60_000, T0 + 2)).toBe(true);
      expect(await store.releaseRefreshLock('member-a', 'p2')).toBe(false);
      expect(await store.acquireRefreshLock('member-a', 'p2', T0 + 90_000, T0 + 59_999)).toBe(false);
      // Expired (its holder died): taken over, and the dead holder's release is refused.
      expect(await store.acquireRefreshLock('member-a', 'p2', T0 + 90_000, T0 + 60_000)).toBe(true);
      expect(await store.releaseRefreshLock('member-a', 'p1')).toBe(false);
      expect(await store.acquireRefreshLock('member-a', 'p3', T0 + 90_000, T0 + 60_001)).toBe(false);
      expect(await store.releaseRefreshLock('member-a', 'p2')).toBe(true);
      expect(await store.releaseRefreshLock('member-a', 'p2')).toBe(false);
      // Released: free at once, long before its expiry.
      expect(await store.acquireRefreshLock('member-a', 'p3', T0 + 90_000, T0 + 60_002)).toBe(true);
    });

    it('hands out copies: changing a returned portal changes nothing stored', async () => {
      const { portal } = await store.upsertInstall(install());
      (portal.settings.tenant as Record<string, unknown>).shopName = 'changed';
      (portal.secrets as Record<string, string>).x = 'y';
      const stored = await store.getByMemberId('member-a');
      expect(stored?.settings).toEqual({ tenant: {}, providers: {} });
      expect(stored?.secrets).toEqual({});
    });
  });
}
