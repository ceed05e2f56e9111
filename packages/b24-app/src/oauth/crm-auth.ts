import type { Bitrix24CrmOptions } from '@prozvon/adapters-bitrix24';
import type { Portal } from '../portals/portal-store.js';
import type { PortalClients } from './portal-clients.js';

/**
 * The Bitrix24 CRM adapter's `auth` option for a portal: the portal's client from PortalClients,
 * the very one the app's own calls use. Bitrix24 counts a portal's requests in one bucket and
 * b24jssdk's limiter lives in the client, so one client per portal is one budget: with a client
 * of its own, the adapter's burst of creates and the app's reads each spent the whole 2 a second
 * (41 QUERY_LIMIT_EXCEEDED for 500 leads in `bench/app/burst.js`). The client is asked for before
 * every batch, from the portal as last read, so a client PortalClients let go (idle, or replaced
 * by a reinstall) is not kept alive here beside its successor. Refresh is the client's: under
 * the portal's lock, one at a time.
 */
export function crmAuthForPortal(
  portal: Portal,
  clients: PortalClients,
  latest: (memberId: string) => Promise<Portal | null>,
): Bitrix24CrmOptions['auth'] {
  return {
    type: 'client',
    origin: portal.clientEndpoint,
    client: async () => clients.forPortal((await latest(portal.memberId)) ?? portal),
  };
}
