import { B24OAuth, type RestrictionParams } from '@bitrix24/b24jssdk';
import { restrictionParams as crmRestrictionParams } from '@prozvon/adapters-bitrix24';
import { paceRestCalls } from '../budget/pace-rest-calls.js';
import type { RequestBudget } from '../budget/request-budget.js';
import type { Portal } from '../portals/portal-store.js';
import type { AppCredentials } from './oauth-token-request.js';
import { portalRefresh } from './portal-refresh.js';
import type { PortalTokenRefresher } from './token-refresher.js';

export interface PortalClientsOptions {
  readonly refresher: PortalTokenRefresher;
  readonly app: AppCredentials;
  readonly clock?: { now(): number };
  /** Clients kept at most; the least recently used goes first. */
  readonly maxClients?: number;
  /** A client unused this long is dropped (its portal's next call builds a new one). */
  readonly idleMs?: number;
  /**
   * The limiter of each client; by default the CRM adapter's for a standard plan (2 a second, no
   * blind re-send of a request whose fate is unknown), which the adapter requires of a client it
   * shares (oauth/crm-auth.ts).
   */
  readonly restrictionParams?: Partial<RestrictionParams>;
  /** Called with each client built, before its first request (the app records its REST calls). */
  readonly onClient?: (client: B24OAuth, portal: Portal) => void;
  /**
   * Each portal's request budget shared with the other instances (PostgreSQL): every HTTP request
   * of its client waits for it, beside the client's own limiter. None: the limiter alone.
   */
  readonly budget?: {
    readonly of: RequestBudget;
    /** A failed take (the request then goes unheld). */
    readonly onError: (error: unknown) => void;
  };
}

interface Entry {
  readonly client: B24OAuth;
  readonly clientEndpoint: string;
  readonly version: () => number;
  lastUsed: number;
}

/**
 * One b24jssdk client per portal for every REST call on it: the app's own (event.bind,
 * placement.bind, crm.lead.get, event.offline.get…) and the CRM adapter's (crm-auth.ts). One per
 * portal because the SDK's rate limiter lives in the client object and Bitrix24 counts per portal
 * (BITRIX24.md §8); across instances the portal's `budget` (PostgreSQL) holds each request as well.
 * Its refresh goes through the
 * shared PortalTokenRefresher, never the SDK's own: refresh tokens are one-time.
 *
 * Clients are built on use and dropped when idle or over the cap, checked on each use (no
 * timer): most of 1,000 portals make a few calls a day and need no client between them.
 */
export class PortalClients {
  readonly #options: PortalClientsOptions;
  readonly #clock: { now(): number };
  // Map order is recency: a used entry is moved to the end, so the idle ones are at the front.
  readonly #entries = new Map<string, Entry>();

  constructor(options: PortalClientsOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date;
  }

  /** The portal's client. A newer install (tokens or endpoint) than the cached client's replaces it. */
  forPortal(portal: Portal): B24OAuth {
    const now = this.#clock.now();
    const known = this.#entries.get(portal.memberId);
    this.#entries.delete(portal.memberId);
    this.#evict(now); // leaves room for this portal's entry
    const entry =
      known !== undefined &&
      known.clientEndpoint === portal.clientEndpoint &&
      known.version() >= portal.tokenVersion
        ? known
        : this.#build(portal);
    entry.lastUsed = now;
    this.#entries.set(portal.memberId, entry);
    return entry.client;
  }

  /** Drops a portal's client (uninstalled, or its settings changed). */
  forget(memberId: string): void {
    this.#entries.delete(memberId);
  }

  get size(): number {
    return this.#entries.size;
  }

  #evict(now: number): void {
    const { maxClients = 200, idleMs = 10 * 60_000 } = this.#options;
    for (const [memberId, entry] of this.#entries) {
      if (this.#entries.size < maxClients && now - entry.lastUsed < idleMs) break;
      this.#entries.delete(memberId);
    }
  }

  #build(portal: Portal): Entry {
    if (portal.tokens === null) throw new Error(`Bitrix24 portal ${portal.memberId} has no tokens`);
    const { refresher, app, restrictionParams = crmRestrictionParams('standard') } = this.#options;
    const client = new B24OAuth(
      {
        applicationToken: portal.applicationToken ?? '',
        // The install's user; b24jssdk only keeps it for the caller. The portal row does not store it.
        userId: 1,
        memberId: portal.memberId,
        accessToken: portal.tokens.accessToken,
        refreshToken: portal.tokens.refreshToken,
        expires: Math.floor(portal.tokens.expiresAt / 1000),
        expiresIn: 3600,
        scope: '',
        domain: portal.domain,
        clientEndpoint: portal.clientEndpoint,
        serverEndpoint: portal.serverEndpoint,
        status: 'L',
      },
      { clientId: app.clientId, clientSecret: app.clientSecret },
      { restrictionParams },
    );
    const { refresh, version } = portalRefresh(refresher, portal, () => this.#clock.now());
    // The SDK copies every field of the answer, endpoints included (BITRIX24.md §8): fill them all.
    client.setCustomRefreshAuth(async () => {
      const { portal: fresh, tokens } = await refresh();
      return {
        access_token: tokens.accessToken,
        refresh_token: tokens.refreshToken,
        expires: String(Math.floor(tokens.expiresAt / 1000)),
        expires_in: '3600',
        client_endpoint: fresh.clientEndpoint,
        server_endpoint: fresh.serverEndpoint,
        member_id: fresh.memberId,
        scope: '',
        status: 'L',
        domain: fresh.domain,
      };
    });
    this.#options.onClient?.(client, portal);
    // After onClient's hooks: axios runs the last added first, so the REST log sees the request
    // leave once the budget let it go (budget/pace-rest-calls.ts).
    const { budget } = this.#options;
    if (budget !== undefined) paceRestCalls(client, portal.memberId, budget.of, budget.onError);
    return { client, clientEndpoint: portal.clientEndpoint, version, lastUsed: 0 };
  }
}
