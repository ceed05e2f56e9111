import { createHash } from 'node:crypto';
import type { Portal, PortalStore } from '../portals/portal-store.js';
import { apiError } from './api-response.js';
import type { CheckFrameUser, FrameUser } from './user-check.js';

/**
 * The settings API's callers are the app's pages inside the portal. Each request carries what the
 * page got from B24Frame: `Authorization: Bearer <AUTH_ID>` (the user's own access token) and
 * `X-Prozvon-Portal: <member_id>`. The token is checked against that stored portal (never a
 * domain the request names) by asking the portal itself (user-check.ts); the answer is kept for
 * `ttlMs` (5 minutes, well inside the token's hour), keyed by a hash of member id and token, so a
 * page's burst of calls asks the portal once and the cache holds no token.
 */
export const PORTAL_HEADER = 'x-prozvon-portal';

export interface FrameSession extends FrameUser {
  readonly portal: Portal;
  /** `b24user:<id>`: who did it, in the audit trail and the settings history. */
  readonly by: string;
}

export interface FrameAuthDeps {
  readonly portals: PortalStore;
  readonly checkUser: CheckFrameUser;
  readonly now?: () => number;
  readonly ttlMs?: number;
  /** Entries kept at most; expired ones go first, then the oldest. */
  readonly maxEntries?: number;
  readonly onError?: (error: unknown) => void;
}

interface CachedUser {
  readonly user: FrameUser | null;
  readonly until: number;
}

/** Portals whose pages may be used: an uninstalled portal's tokens are dead anyway. */
const SERVED = new Set(['installing', 'active', 'needs_reinstall']);

export class FrameAuth {
  readonly #deps: FrameAuthDeps;
  readonly #now: () => number;
  readonly #ttlMs: number;
  readonly #cache = new Map<string, CachedUser>();

  constructor(deps: FrameAuthDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#ttlMs = deps.ttlMs ?? 5 * 60_000;
  }

  /** The caller, or the response to answer instead: 401 (who?), 503 (the portal did not answer). */
  async authenticate(request: Request): Promise<FrameSession | Response> {
    const token = /^Bearer\s+(\S{1,512})$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    const memberId = request.headers.get(PORTAL_HEADER)?.trim() ?? '';
    if (token === undefined || memberId === '' || memberId.length > 64) return apiError(401, 'unauthorized');
    const portal = await this.#deps.portals.getByMemberId(memberId);
    if (portal === null || !SERVED.has(portal.status)) return apiError(401, 'unauthorized');
    let user: FrameUser | null;
    try {
      user = await this.#user(portal, token);
    } catch (error) {
      this.#deps.onError?.(error);
      return apiError(503, 'unavailable', { message: 'the portal did not confirm the user; try again' });
    }
    if (user === null) return apiError(401, 'unauthorized');
    return { ...user, portal, by: `b24user:${user.userId}` };
  }

  async #user(portal: Portal, token: string): Promise<FrameUser | null> {
    const key = createHash('sha256').update(`${portal.memberId}\n${token}`).digest('base64url');
    const now = this.#now();
    const cached = this.#cache.get(key);
    if (cached !== undefined && cached.until > now) return cached.user;
    const user = await this.#deps.checkUser(portal.clientEndpoint, token);
    // A refusal is kept too, but briefly: a page retrying a dead token does not hammer the portal.
    this.#remember(
      key,
      { user, until: now + (user === null ? Math.min(this.#ttlMs, 30_000) : this.#ttlMs) },
      now,
    );
    return user;
  }

  #remember(key: string, entry: CachedUser, now: number): void {
    const max = this.#deps.maxEntries ?? 10_000;
    if (this.#cache.size >= max) {
      for (const [k, v] of this.#cache) if (v.until <= now) this.#cache.delete(k);
      // Map order is insertion order: the oldest go first.
      for (const k of this.#cache.keys()) {
        if (this.#cache.size < max) break;
        this.#cache.delete(k);
      }
    }
    this.#cache.delete(key);
    this.#cache.set(key, entry);
  }
}

/** 403 unless the caller may change the portal's settings (user.admin). */
export function requireAdmin(session: FrameSession): Response | null {
  return session.admin
    ? null
    : apiError(403, 'forbidden', { message: 'only a portal administrator may do this' });
}
