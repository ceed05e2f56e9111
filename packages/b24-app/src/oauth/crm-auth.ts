import type { Bitrix24CrmOptions } from '@prozvon/adapters-bitrix24';
import type { Portal } from '../portals/portal-store.js';
import type { AppCredentials } from './oauth-token-request.js';
import { portalRefresh } from './portal-refresh.js';
import type { PortalTokenRefresher } from './token-refresher.js';

/**
 * The Bitrix24 CRM adapter's `auth` option for a portal: its stored tokens, refreshed through the
 * same PortalTokenRefresher as the app's own clients (the adapter's `refresh`), so the engine's
 * CRM calls and the app's calls never refresh one portal twice. A refused refresh token reaches
 * the adapter as the SDK's AuthError, which it passes on as is: the lead goes to manual.
 */
export function crmAuthForPortal(
  portal: Portal,
  app: AppCredentials,
  refresher: PortalTokenRefresher,
): Bitrix24CrmOptions['auth'] {
  if (portal.tokens === null) throw new Error(`Bitrix24 portal ${portal.memberId} has no tokens`);
  const { refresh } = portalRefresh(refresher, portal);
  return {
    type: 'oauth',
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    tokens: {
      accessToken: portal.tokens.accessToken,
      refreshToken: portal.tokens.refreshToken,
      expires: Math.floor(portal.tokens.expiresAt / 1000),
      memberId: portal.memberId,
      domain: portal.domain,
      clientEndpoint: portal.clientEndpoint,
      serverEndpoint: portal.serverEndpoint,
      applicationToken: portal.applicationToken ?? '',
    },
    refresh: async () => {
      const { portal: fresh, tokens } = await refresh();
      return {
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expires: Math.floor(tokens.expiresAt / 1000),
        memberId: fresh.memberId,
        domain: fresh.domain,
        clientEndpoint: fresh.clientEndpoint,
        serverEndpoint: fresh.serverEndpoint,
      };
    },
  };
}
