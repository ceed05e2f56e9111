import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuthError, TransientError } from '@prozvon/sdk';
import type { Portal, PortalStatus, PortalStore, PortalTokens } from '../portals/portal-store.js';
import {
  type AppCredentials,
  OAuthRefusal,
  requestTokenRefresh,
  type TokenRequestOptions,
} from './oauth-token-request.js';

/** A portal's usable tokens and the version they were stored under. */
export interface FreshTokens {
  readonly portal: Portal;
  readonly tokens: PortalTokens;
  readonly tokenVersion: number;
}

export interface TokenRefresherOptions extends TokenRequestOptions {
  readonly store: PortalStore;
  readonly app: AppCredentials;
  /** Lock expiry and token expiry are read from here (the app's Clock; a ManualClock in tests). */
  readonly clock?: { now(): number };
  /**
   * Told once per transition to needs_reinstall (the refresh token was refused): the app tells
   * the portal's sellers. Its failure is reported to `onError`, never to the caller.
   */
  readonly onNeedsReinstall?: (portal: Portal) => void | Promise<void>;
  readonly onError?: (error: unknown) => void;
  /**
   * How long a lock holds. Far longer than `timeoutMs`: a lock that expires while its holder's
   * refresh is in flight lets a second process refresh with the same one-time token, which then
   * gets invalid_grant.
   */
  readonly lockTtlMs?: number;
  /** How long to wait for another process's refresh before giving up (TransientError). */
  readonly waitMs?: number;
  readonly pollMs?: number;
}

/** Statuses whose tokens may be refreshed: an app mid-install binds its events with them. */
const REFRESHABLE: ReadonlySet<PortalStatus> = new Set<PortalStatus>(['installing', 'active']);
/** Stored tokens this close to expiry are refreshed rather than handed out. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * One token refresh at a time per portal: in this process (callers join the one in flight) and
 * across processes on one database (the store's lock row). Under the lock it re-reads the
 * portal: if another refresh already stored newer tokens, those are the answer and the OAuth
 * server is not asked. Otherwise it refreshes, stores the new pair by compare-and-set, and only
 * then hands it out — so a crash after the refresh cannot lose the one-time refresh token's
 * successor while a caller already uses it.
 */
export class PortalTokenRefresher {
  readonly #options: TokenRefresherOptions;
  readonly #clock: { now(): number };
  readonly #inFlight = new Map<string, Promise<FreshTokens>>();
  // Unique per process and refresher; each refresh adds a sequence number (the lock's holder).
  readonly #id = `${process.pid}.${randomBytes(6).toString('hex')}`;
  #seq = 0;

  constructor(options: TokenRefresherOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date;
  }

  /**
   * Fresh tokens for a caller whose tokens (stored as `staleVersion`) were refused or expired.
   * Throws AuthError when the portal needs a reinstall, TransientError when the OAuth server or
   * the lock's holder did not come through in time.
   */
  async refresh(memberId: string, staleVersion: number): Promise<FreshTokens> {
    // Join the refresh of this portal already running here, if its answer is newer than ours.
    let seen: Promise<FreshTokens> | undefined;
    for (let running = this.#inFlight.get(memberId); running !== undefined && running !== seen; ) {
      seen = running;
      const fresh = await running;
      if (fresh.tokenVersion > staleVersion) return fresh;
      running = this.#inFlight.get(memberId);
    }
    const mine = this.#underLock(memberId, staleVersion);
    this.#inFlight.set(memberId, mine);
    try {
      return await mine;
    } finally {
      if (this.#inFlight.get(memberId) === mine) this.#inFlight.delete(memberId);
    }
  }

  async #underLock(memberId: string, staleVersion: number): Promise<FreshTokens> {
    const holder = `${this.#id}.${++this.#seq}`;
    await this.#acquire(memberId, holder);
    try {
      return await this.#refreshLocked(memberId, staleVersion);
    } finally {
      await this.#options.store.releaseRefreshLock(memberId, holder);
    }
  }

  async #acquire(memberId: string, holder: string): Promise<void> {
    const { store, lockTtlMs = 60_000, waitMs = 30_000, pollMs = 50 } = this.#options;
    // Counted in polls rather than clock time: a test's ManualClock stands still while we wait.
    for (let polls = Math.ceil(waitMs / pollMs); ; polls--) {
      const now = this.#clock.now();
      if (await store.acquireRefreshLock(memberId, holder, now + lockTtlMs, now)) return;
      if (polls <= 0) break;
      await sleep(pollMs);
    }
    throw new TransientError(`Bitrix24 token refresh of ${memberId}: another refresh holds the lock`);
  }

  async #refreshLocked(memberId: string, staleVersion: number): Promise<FreshTokens> {
    const { store } = this.#options;
    const portal = await this.#usable(memberId);
    const now = this.#clock.now();
    if (portal.tokenVersion > staleVersion && portal.tokens.expiresAt > now + EXPIRY_MARGIN_MS) {
      return { portal, tokens: portal.tokens, tokenVersion: portal.tokenVersion };
    }
    let tokens: PortalTokens;
    try {
      tokens = await requestTokenRefresh(
        portal.serverEndpoint,
        this.#options.app,
        portal.tokens.refreshToken,
        now,
        this.#options,
      );
    } catch (error) {
      if (!(error instanceof OAuthRefusal)) throw error;
      // Someone refreshed with this token behind our back (a lock that expired mid-refresh):
      // their pair is stored, the portal is fine.
      const again = await store.getByMemberId(memberId);
      if (again?.tokens && again.tokenVersion > portal.tokenVersion) {
        return { portal: again, tokens: again.tokens, tokenVersion: again.tokenVersion };
      }
      if (error.code === 'invalid_grant') await this.#needsReinstall(portal);
      throw new AuthError(error.message, { cause: error });
    }
    const update = await store.updateTokens(memberId, tokens, portal.tokenVersion, this.#clock.now());
    if (update.updated) {
      const stored = { ...portal, tokens, tokenVersion: update.tokenVersion };
      return { portal: stored, tokens, tokenVersion: update.tokenVersion };
    }
    // Only a write outside the lock gets here: a reinstall (its tokens are newer) or an uninstall.
    const latest = await this.#usable(memberId);
    return { portal: latest, tokens: latest.tokens, tokenVersion: latest.tokenVersion };
  }

  /** The portal, if its tokens may be used and refreshed; else an AuthError. */
  async #usable(memberId: string): Promise<Portal & { tokens: PortalTokens }> {
    const portal = await this.#options.store.getByMemberId(memberId);
    if (portal === null || portal.tokens === null || !REFRESHABLE.has(portal.status)) {
      const why = portal === null ? 'unknown' : portal.tokens === null ? 'without tokens' : portal.status;
      throw new AuthError(`Bitrix24 portal ${memberId} cannot be called: ${why}`);
    }
    return portal as Portal & { tokens: PortalTokens };
  }

  /**
   * One conditional write, from a refreshable status: of the processes that got invalid_grant
   * (the lock normally lets one through; one whose lock expired mid-refresh is a second), only the
   * one whose write made the transition tells the sellers. The next refresh reads needs_reinstall
   * and throws without asking.
   */
  async #needsReinstall(portal: Portal): Promise<void> {
    const { store } = this.#options;
    const made = await store.setStatus(portal.memberId, 'needs_reinstall', this.#clock.now(), [
      ...REFRESHABLE,
    ]);
    if (!made) return;
    try {
      await this.#options.onNeedsReinstall?.({ ...portal, status: 'needs_reinstall' });
    } catch (error) {
      this.#options.onError?.(error);
    }
  }
}
