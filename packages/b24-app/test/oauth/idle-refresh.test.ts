import { describe, expect, it } from 'vitest';
import { refreshIdlePortals } from '../../src/oauth/idle-refresh.js';
import { PortalTokenRefresher } from '../../src/oauth/token-refresher.js';
import { MemoryPortalStore } from '../../src/portals/memory-portal-store.js';
import { installPortal, refreshGrants, useSim } from './sim-portal.js';

const DAY = 86_400_000;

describe('refreshIdlePortals', () => {
  const startSim = useSim();

  it('refreshes once a portal idle for 150 days, before its 180-day refresh token lapses', async () => {
    const env = await startSim();
    const store = new MemoryPortalStore();
    const refresher = new PortalTokenRefresher({ store, app: env.app, clock: env.clock });
    const idle = await installPortal(env, store, 'a');
    env.clock.advance(100 * DAY);
    const busy = await installPortal(env, store, 'b');

    env.clock.advance(50 * DAY - 2 * 3_600_000); // `idle` is 150 days old less an hour: not yet
    expect(await refreshIdlePortals(store, refresher, env.clock.now())).toEqual({
      refreshed: [],
      failed: [],
    });
    env.clock.advance(2 * 3_600_000);
    expect(await refreshIdlePortals(store, refresher, env.clock.now())).toEqual({
      refreshed: [idle.memberId],
      failed: [],
    });
    expect(refreshGrants(env.sim, 'issued').map((r) => r.memberId)).toEqual([idle.memberId]);
    const refreshed = await store.getByMemberId(idle.memberId);
    expect(refreshed?.tokenVersion).toBe(idle.tokenVersion + 1);

    // The next day: nothing is due (the idle one was just refreshed, the other is 51 days old).
    env.clock.advance(DAY);
    expect(await refreshIdlePortals(store, refresher, env.clock.now())).toEqual({
      refreshed: [],
      failed: [],
    });
    expect(refreshGrants(env.sim)).toHaveLength(1);
    expect((await store.getByMemberId(busy.memberId))?.tokenVersion).toBe(busy.tokenVersion);
  });
});
