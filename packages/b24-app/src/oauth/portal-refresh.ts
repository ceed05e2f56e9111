import type { Portal } from '../portals/portal-store.js';
import type { FreshTokens, PortalTokenRefresher } from './token-refresher.js';

/**
 * The refresh of one client object: b24jssdk calls it with no argument, so the tokens' version
 * is kept here — the one this client last received. Each refresh asks for tokens newer than
 * that, and the answer becomes the next version.
 */
export function portalRefresh(
  refresher: PortalTokenRefresher,
  portal: Pick<Portal, 'memberId' | 'tokenVersion'>,
): { readonly refresh: () => Promise<FreshTokens>; readonly version: () => number } {
  let version = portal.tokenVersion;
  return {
    refresh: async () => {
      const fresh = await refresher.refresh(portal.memberId, version);
      version = Math.max(version, fresh.tokenVersion);
      return fresh;
    },
    version: () => version,
  };
}
