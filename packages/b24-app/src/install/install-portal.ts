import type { Logger } from '@prozvon/sdk';
import type { PortalRestSource } from '../b24/portal-rest.js';
import { OAuthRefusal, type RefreshedPair, requestTokenRefresh } from '../oauth/oauth-token-request.js';
import type { PortalStore } from '../portals/portal-store.js';
import { type AppUrls, bindPortal } from './bindings.js';
import { isAllowedOAuthServer } from './oauth-hosts.js';
import { ensurePortalSecrets } from './portal-secrets.js';

/**
 * What an install claims, from the install page's POST or ONAPPINSTALL's `auth` block: nothing
 * of it is believed until the OAuth server vouches for the refresh token.
 */
export interface InstallClaim {
  readonly memberId: string;
  /** The portal's host as the request names it (`DOMAIN`, `auth[domain]`), lower case. */
  readonly domain: string;
  readonly serverEndpoint: string;
  readonly refreshToken: string;
  readonly applicationToken: string;
}

/** Why an install was refused: each has its own audit `reason`. */
export type InstallRefusal = 'oauth_host' | 'not_confirmed' | 'portal_mismatch' | 'bind_failed';

export type InstallOutcome =
  | { readonly ok: true; readonly created: boolean }
  | { readonly ok: false; readonly reason: InstallRefusal };

export interface PortalInstallerDeps {
  readonly portals: PortalStore;
  readonly rest: PortalRestSource;
  readonly app: {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly oauthHosts: readonly string[];
  };
  readonly urls: AppUrls;
  readonly now: () => number;
  readonly logger: Logger;
  /** After a portal is installed (a first install or again): the tenant cache forgets it. */
  readonly onInstalled?: (memberId: string) => void;
}

/** Where the claim came from, for the audit lines. */
export type InstallSource = 'install_page' | 'ONAPPINSTALL';

/**
 * Installs a portal from a claim, the one way both the install page and ONAPPINSTALL do it: the
 * refresh token is exchanged at an allowed OAuth host (https only), and the answer must name the
 * same portal (`member_id`) and domain; then the portal is stored (a second install updates the
 * same row), its intake and voice secrets made, its events and placement bound, and it is active.
 * Refusals leave the store as it was, except `bind_failed` (stored, still `installing`: the next
 * install finishes it).
 */
export async function installPortal(
  deps: PortalInstallerDeps,
  claim: InstallClaim,
  source: InstallSource,
): Promise<InstallOutcome> {
  const log = deps.logger.child({ memberId: claim.memberId, domain: claim.domain, via: source });
  const refuse = (reason: InstallRefusal, message: string): InstallOutcome => {
    log.warn({ audit: 'install_refused', reason }, message);
    return { ok: false, reason };
  };
  if (!isAllowedOAuthServer(claim.serverEndpoint, deps.app.oauthHosts)) {
    return refuse('oauth_host', 'install refused: OAuth server not allowed');
  }
  let granted: RefreshedPair;
  try {
    granted = await requestTokenRefresh(claim.serverEndpoint, deps.app, claim.refreshToken, deps.now());
  } catch (error) {
    const code = error instanceof OAuthRefusal ? error.code : 'unreachable';
    log.warn(
      { audit: 'install_refused', reason: 'not_confirmed', code },
      'install refused: tokens not confirmed',
    );
    return { ok: false, reason: 'not_confirmed' };
  }
  const clientEndpoint = granted.clientEndpoint;
  const endpointHost = clientEndpoint === undefined ? '' : new URL(clientEndpoint).host.toLowerCase();
  if (clientEndpoint === undefined || granted.memberId !== claim.memberId || endpointHost !== claim.domain) {
    return refuse('portal_mismatch', 'install refused: tokens of another portal');
  }
  const at = deps.now();
  const { created } = await deps.portals.upsertInstall({
    memberId: claim.memberId,
    domain: endpointHost,
    serverEndpoint: granted.serverEndpoint ?? claim.serverEndpoint,
    clientEndpoint,
    applicationToken: claim.applicationToken,
    tokens: {
      accessToken: granted.accessToken,
      refreshToken: granted.refreshToken,
      expiresAt: granted.expiresAt,
    },
    status: 'installing',
    at,
  });
  await ensurePortalSecrets(deps.portals, claim.memberId, at);
  try {
    await bindPortal(await deps.rest.forPortal(claim.memberId), deps.urls);
  } catch (error) {
    log.error({ err: error, audit: 'install_failed' }, 'install: binding events failed');
    return { ok: false, reason: 'bind_failed' };
  }
  await deps.portals.setStatus(claim.memberId, 'active', deps.now());
  deps.onInstalled?.(claim.memberId);
  log.info(
    { audit: created ? 'installed' : 'reinstalled' },
    created ? 'portal installed' : 'portal installed again',
  );
  return { ok: true, created };
}
