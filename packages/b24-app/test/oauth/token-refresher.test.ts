import { AjaxError, type B24OAuth } from '@bitrix24/b24jssdk';
import { createBitrix24Crm } from '@prozvon/adapters-bitrix24';
import { AuthError } from '@prozvon/sdk';
import { describe, expect, it } from 'vitest';
import { crmAuthForPortal } from '../../src/oauth/crm-auth.js';
import { PortalClients } from '../../src/oauth/portal-clients.js';
import { PortalTokenRefresher } from '../../src/oauth/token-refresher.js';
import { MemoryPortalStore } from '../../src/portals/memory-portal-store.js';
import type { Portal } from '../../src/portals/portal-store.js';
import { installPortal, refreshGrants, type SimApp, useSim } from './sim-portal.js';

const HOUR = 3_600_000;

function setUp(env: SimApp) {
  const store = new MemoryPortalStore();
  const told: Portal[] = [];
  const refresher = new PortalTokenRefresher({
    store,
    app: env.app,
    clock: env.clock,
    onNeedsReinstall: (portal) => {
      told.push(portal);
    },
  });
  // Several client sources, as the app's parts would hold: b24jssdk coalesces refreshes only
  // inside one client object, so this is what the refresher itself must collapse.
  const sources = [1, 2, 3, 4].map(() => new PortalClients({ refresher, app: env.app, clock: env.clock }));
  return { store, refresher, told, sources };
}

const profile = (client: B24OAuth) => client.actions.v2.call.make({ method: 'profile' });

/** What a call through b24jssdk threw, unwrapped: a failed custom refresh is its originalError. */
async function failure(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error instanceof AjaxError && error.originalError ? error.originalError : error;
  }
  throw new Error('the call succeeded');
}

describe('PortalTokenRefresher against the Bitrix24 simulator', () => {
  const startSim = useSim();

  it('20 concurrent calls with an expired token: one refresh, stored before use, all 20 succeed', async () => {
    const env = await startSim();
    const { store, sources } = setUp(env);
    const portal = await installPortal(env, store);
    // The portal says expired_token from now on; b24jssdk's own clock still thinks it valid.
    env.clock.advance(2 * HOUR);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => profile(sources[i % 4]?.forPortal(portal) as B24OAuth)),
    );
    expect(answers.every((a) => a.isSuccess)).toBe(true);
    expect(refreshGrants(env.sim)).toHaveLength(1);
    const stored = await store.getByMemberId(portal.memberId);
    expect(stored?.tokenVersion).toBe(portal.tokenVersion + 1);
    expect(stored?.tokens?.expiresAt).toBe(Math.floor((env.clock.now() + HOUR) / 1000) * 1000);
    // The stored pair is the live one: its refresh token works (the old one is spent).
    expect(stored?.tokens?.refreshToken).not.toBe(portal.tokens?.refreshToken);
    expect((await profile(sources[0]?.forPortal(stored as Portal) as B24OAuth)).isSuccess).toBe(true);
  });

  it('refreshes a token past its expiry before the call, and shares the refresh with the CRM adapter', async () => {
    const env = await startSim();
    const { store, refresher, sources } = setUp(env);
    const installed = await installPortal(env, store);
    // Stored as already expired: b24jssdk refreshes before sending.
    await store.updateTokens(
      installed.memberId,
      { ...(installed.tokens as NonNullable<Portal['tokens']>), expiresAt: Date.now() - HOUR },
      installed.tokenVersion,
      env.clock.now(),
    );
    const portal = (await store.getByMemberId(installed.memberId)) as Portal;
    env.clock.advance(2 * HOUR);
    // The adapter on a fifth client source: b24jssdk coalesces nothing across the two.
    const crmClients = new PortalClients({ refresher, app: env.app, clock: env.clock });
    const crm = createBitrix24Crm({
      auth: crmAuthForPortal(portal, crmClients, (memberId) => store.getByMemberId(memberId)),
    });
    const [found, ...answers] = await Promise.all([
      crm.findLeadByKey('no-such-key'),
      ...Array.from({ length: 10 }, (_, i) => profile(sources[i % 4]?.forPortal(portal) as B24OAuth)),
    ]);
    expect(found).toBeNull();
    expect(answers.every((a) => a.isSuccess)).toBe(true);
    expect(refreshGrants(env.sim)).toHaveLength(1);
  });

  it('a refused refresh token: needs_reinstall once, the sellers told once, every call an AuthError', async () => {
    const env = await startSim();
    const { store, told, sources } = setUp(env);
    const portal = await installPortal(env, store);
    await installPortal(env, store, 'b'); // another portal, untouched
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
    env.clock.advance(2 * HOUR);
    const failures = await Promise.all(
      Array.from({ length: 8 }, (_, i) => failure(profile(sources[i % 4]?.forPortal(portal) as B24OAuth))),
    );
    for (const error of failures) expect(error).toBeInstanceOf(AuthError);
    expect((await store.getByMemberId(portal.memberId))?.status).toBe('needs_reinstall');
    expect(told.map((p) => [p.memberId, p.status])).toEqual([[portal.memberId, 'needs_reinstall']]);
    expect(refreshGrants(env.sim, 'invalid_grant')).toHaveLength(1);
    // Later calls fail at once, without asking the OAuth server or telling anyone again.
    const crmClients = new PortalClients({ refresher: setUp(env).refresher, app: env.app });
    const crm = createBitrix24Crm({ auth: crmAuthForPortal(portal, crmClients, async () => portal) });
    expect(await failure(crm.findLeadByKey('k'))).toBeInstanceOf(AuthError);
    expect(
      await failure(
        profile(new PortalClients({ refresher: setUp(env).refresher, app: env.app }).forPortal(portal)),
      ),
    ).toBeInstanceOf(AuthError);
    expect(refreshGrants(env.sim, 'invalid_grant')).toHaveLength(1);
    expect(told).toHaveLength(1);
    expect((await store.getByMemberId(portal.memberId))?.status).toBe('needs_reinstall');
  });
});
