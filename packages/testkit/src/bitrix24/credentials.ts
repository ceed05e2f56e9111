import { randomBytes } from 'node:crypto';
import { systemErrors } from './errors.js';
import type { AuthContext } from './methods/types.js';
import type { Portal } from './portal.js';

export const ACCESS_TTL_MS = 3_600_000; // one hour (BITRIX24.md §2.3)
export const REFRESH_TTL_MS = 180 * 86_400_000; // 180 days in today's docs
export const CODE_TTL_MS = 30_000; // authorization codes are short-lived (unverified figure)

export interface WebhookCredential {
  portal: Portal;
  userId: number;
  secret: string;
  scopes: ReadonlySet<string> | undefined;
  /** What a request with this webhook runs as, built on its first request rather than on each. */
  auth?: AuthContext;
}

export interface AppGrant {
  portal: Portal;
  clientId: string;
  userId: number;
  scope: readonly string[];
  expiresAt: number;
  /** `scope` as a set, built once per token rather than once per request. */
  scopeSet?: ReadonlySet<string>;
}

/**
 * Every credential the simulator knows, across portals: a request finds its portal through them.
 * Lookups are Map gets; tokens come from one random seed per simulator plus a counter, so issuing
 * one costs no crypto call.
 */
export class Credentials {
  readonly webhooks = new Map<string, WebhookCredential>();
  readonly accessTokens = new Map<string, AppGrant>();
  readonly refreshTokens = new Map<string, AppGrant>();
  readonly codes = new Map<string, AppGrant>();
  readonly #seed = randomBytes(12).toString('hex');
  #counter = 0;

  /** An opaque token, unique within this simulator. */
  token(): string {
    this.#counter += 1;
    return `${this.#seed}${this.#counter.toString(16).padStart(10, '0')}`;
  }

  addWebhook(credential: WebhookCredential): void {
    this.webhooks.set(`${credential.userId}/${credential.secret}`, credential);
  }

  /** `/rest/<user>/<secret>/…`; unknown → 401 NO_AUTH_FOUND. */
  webhook(userId: string, secret: string): { portal: Portal; auth: AuthContext } {
    const credential = this.webhooks.get(`${userId}/${secret}`);
    if (credential === undefined) throw systemErrors.noAuth();
    credential.auth ??= {
      kind: 'webhook',
      userId: credential.userId,
      scopes: credential.scopes,
      clientKey: `webhook:${userId}/${secret}`,
    };
    return { portal: credential.portal, auth: credential.auth };
  }

  /** `auth=<access token>`; unknown or revoked → NO_AUTH_FOUND, past its hour → expired_token. */
  access(token: unknown, now: number): { portal: Portal; auth: AuthContext } {
    const grant = typeof token === 'string' ? this.accessTokens.get(token) : undefined;
    if (grant === undefined) throw systemErrors.noAuth();
    if (now >= grant.expiresAt) throw systemErrors.expiredToken();
    grant.scopeSet ??= new Set(grant.scope);
    return {
      portal: grant.portal,
      auth: {
        kind: 'app',
        userId: grant.userId,
        scopes: grant.scopeSet,
        clientKey: grant.clientId,
        clientId: grant.clientId,
        accessToken: token as string,
      },
    };
  }

  /** A fresh access + refresh pair for an app's user on a portal. */
  issue(portal: Portal, clientId: string, userId: number, scope: readonly string[], now: number) {
    const accessToken = this.token();
    const refreshToken = this.token();
    this.accessTokens.set(accessToken, { portal, clientId, userId, scope, expiresAt: now + ACCESS_TTL_MS });
    this.refreshTokens.set(refreshToken, {
      portal,
      clientId,
      userId,
      scope,
      expiresAt: now + REFRESH_TTL_MS,
    });
    return { accessToken, refreshToken, expiresAt: now + ACCESS_TTL_MS };
  }

  /** An access token alone (what events carry). */
  issueAccess(portal: Portal, clientId: string, userId: number, scope: readonly string[], now: number) {
    const accessToken = this.token();
    this.accessTokens.set(accessToken, { portal, clientId, userId, scope, expiresAt: now + ACCESS_TTL_MS });
    return { accessToken, expiresAt: now + ACCESS_TTL_MS };
  }

  /** Drops every token of an app on a portal (uninstall, or a test revoking access). */
  revoke(portal: Portal, clientId: string): void {
    for (const map of [this.accessTokens, this.refreshTokens, this.codes]) {
      for (const [token, grant] of map) {
        if (grant.portal === portal && grant.clientId === clientId) map.delete(token);
      }
    }
  }
}
