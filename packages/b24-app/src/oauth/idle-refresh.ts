import type { PortalStore } from '../portals/portal-store.js';
import type { PortalTokenRefresher } from './token-refresher.js';

const DAY_MS = 86_400_000;
/** A refresh token lives 180 days (BITRIX24.md §2.3); an idle portal is refreshed well before. */
export const IDLE_REFRESH_AFTER_MS = 150 * DAY_MS;
/** The access token's lifetime: its expiry says when its pair (and the refresh token) was issued. */
const ACCESS_TTL_MS = 3_600_000;

export interface IdleRefreshReport {
  readonly refreshed: readonly string[];
  readonly failed: readonly { readonly memberId: string; readonly error: unknown }[];
}

/**
 * Refreshes, once, every active portal whose tokens were issued more than 150 days ago, so that a
 * portal nobody called for five months keeps a live refresh token. Tokens are otherwise refreshed
 * only on expiry or `expired_token`, as Bitrix24 asks (no timer per portal). Run daily; a portal
 * refreshed here is not due again for 150 days. One at a time: a daily job has no hurry, and the
 * OAuth server is Bitrix24's.
 */
export async function refreshIdlePortals(
  store: PortalStore,
  refresher: PortalTokenRefresher,
  now: number,
): Promise<IdleRefreshReport> {
  const refreshed: string[] = [];
  const failed: { memberId: string; error: unknown }[] = [];
  for (const portal of await store.listActive()) {
    if (portal.tokens === null) continue;
    const issuedAt = portal.tokens.expiresAt - ACCESS_TTL_MS;
    if (now - issuedAt <= IDLE_REFRESH_AFTER_MS) continue;
    try {
      // The stored version is the stale one: a refresh that beat us to it stands.
      await refresher.refresh(portal.memberId, portal.tokenVersion);
      refreshed.push(portal.memberId);
    } catch (error) {
      failed.push({ memberId: portal.memberId, error });
    }
  }
  return { refreshed, failed };
}
