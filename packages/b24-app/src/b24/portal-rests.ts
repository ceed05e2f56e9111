import { B24OAuth } from '@bitrix24/b24jssdk';
import { restrictionParams } from '@prozvon/adapters-bitrix24';
import type { Portal, PortalStore, PortalTokens } from '../portals/portal-store.js';
import { portalRestOf } from './b24-portal-rest.js';
import type { PortalRest, PortalRestSource } from './portal-rest.js';

export interface PortalRestsDeps {
  readonly portals: PortalStore;
  readonly app: { readonly clientId: string; readonly clientSecret: string };
  /** The portal's tokens renewed (under its refresh lock) and persisted before they are returned. */
  readonly refresh: (portal: Portal) => Promise<PortalTokens>;
}

/**
 * One b24jssdk client per portal for the app's own calls, built on first use from the stored
 * install tokens, its refresh replaced by the app's (one at a time per portal, persisted first).
 */
export class PortalRests implements PortalRestSource {
  readonly #deps: PortalRestsDeps;
  readonly #clients = new Map<string, { rest: PortalRest; installedAt: number }>();

  constructor(deps: PortalRestsDeps) {
    this.#deps = deps;
  }

  async forPortal(memberId: string): Promise<PortalRest> {
    const portal = await this.#deps.portals.getByMemberId(memberId);
    if (portal === null || portal.tokens === null) throw new Error(`portal ${memberId} is not installed`);
    const cached = this.#clients.get(memberId);
    if (cached !== undefined && cached.installedAt === portal.installedAt) return cached.rest;
    const rest = portalRestOf(this.#client(portal, portal.tokens));
    this.#clients.set(memberId, { rest, installedAt: portal.installedAt });
    return rest;
  }

  forget(memberId: string): void {
    this.#clients.delete(memberId);
  }

  #client(portal: Portal, tokens: PortalTokens): B24OAuth {
    const b24 = new B24OAuth(
      {
        applicationToken: portal.applicationToken ?? '',
        userId: 1,
        memberId: portal.memberId,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expires: Math.floor(tokens.expiresAt / 1000),
        expiresIn: 3600,
        scope: '',
        domain: portal.domain,
        clientEndpoint: portal.clientEndpoint,
        serverEndpoint: portal.serverEndpoint,
        status: 'L',
      },
      { clientId: this.#deps.app.clientId, clientSecret: this.#deps.app.clientSecret },
      { restrictionParams: restrictionParams('standard') },
    );
    b24.setCustomRefreshAuth(async () => {
      const current = (await this.#deps.portals.getByMemberId(portal.memberId)) ?? portal;
      const next = await this.#deps.refresh(current);
      // b24jssdk copies every field of this answer, endpoints included (BITRIX24.md §8).
      return {
        access_token: next.accessToken,
        refresh_token: next.refreshToken,
        expires: String(Math.floor(next.expiresAt / 1000)),
        expires_in: '3600',
        client_endpoint: current.clientEndpoint,
        server_endpoint: current.serverEndpoint,
        member_id: current.memberId,
        scope: '',
        status: 'L',
        domain: current.domain,
      };
    });
    return b24;
  }
}
