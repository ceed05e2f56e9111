import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AuthError } from '@prozvon/sdk';
import { describe, expect, it } from 'vitest';
import { PortalTokenRefresher } from '../../src/oauth/token-refresher.js';
import type { Portal } from '../../src/portals/portal-store.js';
import { parseMasterKey, SecretBox } from '../../src/portals/secrets.js';
import { SqlitePortalStore } from '../../src/portals/sqlite-portal-store.js';
import { useTempDir } from '../portals/temp-dir.js';
import { installPortal, refreshGrants, useSim } from './sim-portal.js';

describe('needs_reinstall: the sellers are told once per transition', () => {
  const startSim = useSim();
  const dir = useTempDir();

  it('two processes on one database both refused by the OAuth server: one transition, one notice', async () => {
    const env = await startSim();
    const file = join(dir(), 'app.db');
    const box = new SecretBox(parseMasterKey(randomBytes(32).toString('base64')));
    const stores = [
      new SqlitePortalStore(file, { secrets: box }),
      new SqlitePortalStore(file, { secrets: box }),
    ];
    const portal = await installPortal(env, stores[0] as SqlitePortalStore);
    // Spend the stored refresh token behind the app's back: the portal now refuses it.
    const spent = await fetch(`${env.sim.url}/oauth/token/`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: env.app.clientId,
        client_secret: env.app.clientSecret,
        refresh_token: portal.tokens?.refreshToken ?? '',
      }),
    });
    expect(spent.status).toBe(200);
    const told: Portal[] = [];
    // A lock that has expired as soon as it is taken: both processes refresh at once, as when a
    // holder overruns its lock — the case the lock alone cannot make safe.
    const refreshers = stores.map(
      (store) =>
        new PortalTokenRefresher({
          store,
          app: env.app,
          clock: env.clock,
          lockTtlMs: 0,
          onNeedsReinstall: (p) => {
            told.push(p);
          },
        }),
    );
    const outcomes = await Promise.allSettled(
      refreshers.map((refresher) => refresher.refresh(portal.memberId, portal.tokenVersion)),
    );
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(AuthError);
    }
    expect(refreshGrants(env.sim, 'invalid_grant')).toHaveLength(2);
    expect(told.map((p) => [p.memberId, p.status])).toEqual([[portal.memberId, 'needs_reinstall']]);
    expect((await stores[1]?.getByMemberId(portal.memberId))?.status).toBe('needs_reinstall');

    // Reinstalled, then refused again: a new transition, told again.
    const reinstalled = await installPortal(env, stores[1] as SqlitePortalStore);
    await fetch(`${env.sim.url}/oauth/token/`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: env.app.clientId,
        client_secret: env.app.clientSecret,
        refresh_token: reinstalled.tokens?.refreshToken ?? '',
      }),
    });
    await expect(refreshers[0]?.refresh(portal.memberId, reinstalled.tokenVersion)).rejects.toBeInstanceOf(
      AuthError,
    );
    expect(told).toHaveLength(2);
    for (const store of stores) await store.close();
  });
});
