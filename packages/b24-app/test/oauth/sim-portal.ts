import { type Bitrix24Sim, ManualClock, startBitrix24Sim, trustTestkitCa } from '@prozvon/testkit';
import { afterEach } from 'vitest';
import type { PortalStore } from '../../src/portals/portal-store.js';

export interface SimApp {
  readonly sim: Bitrix24Sim;
  readonly clock: ManualClock;
  readonly app: { readonly clientId: string; readonly clientSecret: string };
}

/**
 * A Bitrix24 simulator on loopback (HTTPS, the testkit CA trusted), an app, closed after each test.
 * Its leaky bucket is off unless `realLimit` (then 50, draining 2 a second, on the wall clock).
 */
export function useSim(options: { realLimit?: boolean } = {}): () => Promise<SimApp> {
  const open: Bitrix24Sim[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((sim) => sim.close()));
  });
  return async () => {
    // Starts at the wall clock: b24jssdk checks a token's expiry with Date.now().
    const clock = new ManualClock();
    const sim = await startBitrix24Sim({
      portals: [{ key: 'a' }, { key: 'b' }],
      // The bucket drains with the clock it reads: the wall clock's, for a limit that really passes.
      ...(options.realLimit ? {} : { clock, rateLimit: false as const }),
    });
    open.push(sim);
    trustTestkitCa(sim.ca);
    const { clientId, clientSecret } = sim.registerApp();
    return { sim, clock, app: { clientId, clientSecret } };
  };
}

/** Installs the app on a simulated portal and stores the install, active, as the app would. */
export async function installPortal(env: SimApp, store: PortalStore, key = 'a') {
  const { auth, install } = await env.sim.installApp(env.app.clientId, { portal: key });
  const { portal } = await store.upsertInstall({
    memberId: auth.member_id,
    domain: auth.domain,
    serverEndpoint: auth.server_endpoint,
    clientEndpoint: auth.client_endpoint,
    applicationToken: install.applicationToken,
    tokens: {
      accessToken: auth.access_token ?? '',
      refreshToken: auth.refresh_token ?? '',
      expiresAt: Number(auth.expires) * 1000,
    },
    status: 'active',
    at: env.clock.now(),
  });
  return portal;
}

/** The refresh_token grants the simulator's OAuth server answered, by outcome. */
export function refreshGrants(sim: Bitrix24Sim, outcome?: string) {
  return sim.state.tokenRequests.filter(
    (r) => r.grantType === 'refresh_token' && (outcome === undefined || r.outcome === outcome),
  );
}
