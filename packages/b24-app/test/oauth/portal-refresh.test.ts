import { describe, expect, it } from 'vitest';
import { portalRefresh } from '../../src/oauth/portal-refresh.js';
import type { FreshTokens, PortalTokenRefresher } from '../../src/oauth/token-refresher.js';

const NOW = Date.parse('2026-12-07T10:00:00Z');

/** A refresher that issues a new pair (a one-time refresh token spent) on every call. */
function countingRefresher() {
  let issued = 0;
  const refresher = {
    async refresh(memberId: string, staleVersion: number): Promise<FreshTokens> {
      issued++;
      const tokens = { accessToken: `a${issued}`, refreshToken: `r${issued}`, expiresAt: NOW + 3_600_000 };
      return { portal: { memberId } as FreshTokens['portal'], tokens, tokenVersion: staleVersion + 1 };
    },
  } as unknown as PortalTokenRefresher;
  return { refresher, issued: () => issued };
}

describe('portalRefresh: one client’s refreshes', () => {
  it('a request sent with the old token that comes back expired after the refresh gets the new pair, not a second refresh', async () => {
    const { refresher, issued } = countingRefresher();
    let now = NOW;
    const { refresh } = portalRefresh(refresher, { memberId: 'm', tokenVersion: 1 }, () => now);
    const first = await refresh();
    now += 2_000; // the straggler's expired_token arrives two seconds later
    const second = await refresh();
    expect(issued()).toBe(1);
    expect(second.tokens).toEqual(first.tokens);
  });

  it('once its tokens near their expiry, the client refreshes again', async () => {
    const { refresher, issued } = countingRefresher();
    let now = NOW;
    const { refresh } = portalRefresh(refresher, { memberId: 'm', tokenVersion: 1 }, () => now);
    await refresh();
    now += 3_600_000;
    const next = await refresh();
    expect(issued()).toBe(2);
    expect(next.tokenVersion).toBe(3);
  });
});
