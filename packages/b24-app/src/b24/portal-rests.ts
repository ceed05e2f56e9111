import type { PortalClients } from '../oauth/portal-clients.js';
import type { PortalStore } from '../portals/portal-store.js';
import { portalRestOf } from './b24-portal-rest.js';
import type { PortalRest, PortalRestSource } from './portal-rest.js';

/** The app's own calls on a portal, through its cached b24jssdk client (oauth/portal-clients.ts). */
export class PortalRests implements PortalRestSource {
  readonly #portals: PortalStore;
  readonly #clients: PortalClients;

  constructor(portals: PortalStore, clients: PortalClients) {
    this.#portals = portals;
    this.#clients = clients;
  }

  async forPortal(memberId: string): Promise<PortalRest> {
    const portal = await this.#portals.getByMemberId(memberId);
    if (portal === null || portal.tokens === null) throw new Error(`portal ${memberId} is not installed`);
    return portalRestOf(this.#clients.forPortal(portal));
  }

  forget(memberId: string): void {
    this.#clients.forget(memberId);
  }
}
