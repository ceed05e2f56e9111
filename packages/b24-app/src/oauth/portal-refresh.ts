import type { Portal } from '../portals/portal-store.js';
import type { FreshTokens, PortalTokenRefresher } from './token-refresher.js';

/**
 * How long after a client received new tokens an `expired_token` is taken for a straggler: a
 * request it sent with the previous token, answered after the refresh. A token just issued
 * cannot have expired.
 */
const STRAGGLER_WINDOW_MS = 30_000;
/** Tokens this close to their expiry are refreshed, whatever the window says. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * The refresh of one client object: b24jssdk calls it with no argument, so the tokens' version
 * is kept here — the one this client last received. Each refresh asks for tokens newer than
 * that, and the answer becomes the next version. b24jssdk joins the refreshes asked while one
 * runs, but a request in flight during it may come back `expired_token` after it ended: within
 * the window, that gets the pair just received, not a second refresh (the refresh token is one-time,
 * and the portal would count a refresh per straggler).
 */
export function portalRefresh(
  refresher: PortalTokenRefresher,
  portal: Pick<Portal, 'memberId' | 'tokenVersion'>,
  now: () => number = Date.now,
): { readonly refresh: () => Promise<FreshTokens>; readonly version: () => number } {
  let version = portal.tokenVersion;
  let last: { readonly fresh: FreshTokens; readonly at: number } | undefined;
  return {
    refresh: async () => {
      const at = now();
      if (
        last !== undefined &&
        at - last.at < STRAGGLER_WINDOW_MS &&
        last.fresh.tokens.expiresAt > at + EXPIRY_MARGIN_MS
      ) {
        return last.fresh;
      }
      const fresh = await refresher.refresh(portal.memberId, version);
      version = Math.max(version, fresh.tokenVersion);
      last = { fresh, at: now() };
      return fresh;
    },
    version: () => version,
  };
}
