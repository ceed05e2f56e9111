import { randomBytes } from 'node:crypto';
import type { TenantConfigInput } from '@prozvon/sdk';

/**
 * The portal store: one row per installed Bitrix24 portal, keyed by its `member_id`. Its SQLite
 * implementation shares the leads' file (sqlite-portal-store.ts); PostgreSQL comes later, behind
 * this same port and its contract suite (test/portals/portal-store-contract.ts).
 *
 * Values cross this port in clear; an implementation that persists them encrypts every secret
 * (the tokens, `applicationToken`, every value of `secrets`) with the SecretBox.
 */

export const PORTAL_STATUSES = ['installing', 'active', 'needs_reinstall', 'uninstalled'] as const;
export type PortalStatus = (typeof PORTAL_STATUSES)[number];

export interface PortalTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Epoch ms at which the access token expires. */
  readonly expiresAt: number;
}

/**
 * A portal's settings without its secrets: the SDK's tenant config (validated by the settings
 * API, stored as given) and its providers (SMS, Telegram, Voximplant: shape owned by the settings
 * API). A provider's key or token goes in `Portal.secrets`, never here.
 */
export interface PortalSettings {
  readonly tenant: TenantConfigInput;
  readonly providers: Readonly<Record<string, unknown>>;
}

export const EMPTY_SETTINGS: PortalSettings = { tenant: {}, providers: {} };

export interface Portal {
  readonly memberId: string;
  /** Opaque, random, url-safe: the portal's name in public URLs (`/p/<portalKey>/leads`). Never changes. */
  readonly portalKey: string;
  readonly domain: string;
  readonly serverEndpoint: string;
  readonly clientEndpoint: string;
  readonly status: PortalStatus;
  readonly applicationToken: string | null;
  readonly tokens: PortalTokens | null;
  /** Bumped by every write of the tokens: the compare-and-set of `updateTokens`. */
  readonly tokenVersion: number;
  readonly settings: PortalSettings;
  /** Named secrets of the settings (`sms.apiKey`, `telegram.botToken`, `intakeSecret`…). */
  readonly secrets: Readonly<Record<string, string>>;
  /**
   * Bumped by every write of the settings or secrets: what a settings page read, sent back with
   * its change (`SettingsUpdate.expectedVersion`), so a second admin's save cannot silently undo
   * the first's. 0 before any.
   */
  readonly settingsVersion: number;
  readonly settingsChangedBy: string | null;
  readonly settingsChangedAt: number | null;
  readonly installedAt: number;
  readonly updatedAt: number;
}

/** What an install (the install page or ONAPPINSTALL) knows of a portal. */
export interface PortalInstall {
  readonly memberId: string;
  readonly domain: string;
  readonly serverEndpoint: string;
  readonly clientEndpoint: string;
  readonly applicationToken: string | null;
  readonly tokens: PortalTokens | null;
  /** `installing` until `installFinish`, by default. */
  readonly status?: PortalStatus;
  readonly at: number;
}

export type TokenUpdate =
  | { readonly updated: true; readonly tokenVersion: number }
  | { readonly updated: false };

export interface SettingsUpdate {
  /** Replaces the settings when given. */
  readonly settings?: PortalSettings;
  /** Per name: a value sets that secret, `null` deletes it; a name not given is kept. */
  readonly secrets?: Readonly<Record<string, string | null>>;
  /** Written only if the settings are still at this version (`Portal.settingsVersion`). */
  readonly expectedVersion?: number;
}

/** Who changed a portal's settings, and when: the history kept through an uninstall. */
export interface SettingsChange {
  readonly by: string;
  readonly at: number;
}

export interface PortalStore {
  /**
   * Creates the portal or, when its member id is known, updates it (a second install, a
   * reinstall after an uninstall): never a second row. The portalKey, settings and secrets of a
   * known portal are kept. `created` says which.
   */
  upsertInstall(install: PortalInstall): Promise<{ readonly portal: Portal; readonly created: boolean }>;
  getByMemberId(memberId: string): Promise<Portal | null>;
  getByPortalKey(portalKey: string): Promise<Portal | null>;
  /**
   * Writes new tokens only if the stored `tokenVersion` is still `expectedVersion`: of two
   * refreshes that read the same version, one wins and the other learns it lost.
   */
  updateTokens(
    memberId: string,
    tokens: PortalTokens,
    expectedVersion: number,
    at: number,
  ): Promise<TokenUpdate>;
  /**
   * False when the portal is unknown. With `from`, a transition: made only if the status is one
   * of them, in one conditional write — of two processes that see the same failure, exactly one
   * gets true (and tells the sellers); false when it was not (already made, or another status).
   */
  setStatus(
    memberId: string,
    status: PortalStatus,
    at: number,
    from?: readonly PortalStatus[],
  ): Promise<boolean>;
  /**
   * False when the portal is unknown, or its settings are no longer at `update.expectedVersion`
   * (then nothing is written). The version check and the write are one step across processes.
   */
  updateSettings(memberId: string, update: SettingsUpdate, change: SettingsChange): Promise<boolean>;
  /** Newest first. */
  settingsHistory(memberId: string): Promise<readonly SettingsChange[]>;
  /**
   * ONAPPUNINSTALL: deletes the tokens, the application token and every secret, and marks the
   * portal `uninstalled`. The row, its settings and their history stay. False when unknown.
   */
  uninstall(memberId: string, at: number): Promise<boolean>;
  /** Portals whose status is `active`, by member id. */
  listActive(): Promise<readonly Portal[]>;
  /**
   * Takes the portal's token-refresh lock for `holder` until `untilMs`: true when it was free,
   * expired (`until <= nowMs`: its holder died or overran) or already `holder`'s (then extended).
   * One refresh at a time per portal across processes on one database: refresh tokens are
   * one-time, so two refreshes from the same token lose the portal (BITRIX24.md §2.3).
   */
  acquireRefreshLock(memberId: string, holder: string, untilMs: number, nowMs: number): Promise<boolean>;
  /** Frees the lock if `holder` still has it; false when someone else does (or nobody). */
  releaseRefreshLock(memberId: string, holder: string): Promise<boolean>;
  close(): Promise<void>;
}

/** 144 random bits, base64url: 24 characters safe in a URL path. */
export function newPortalKey(): string {
  return randomBytes(18).toString('base64url');
}

/** Applies a SettingsUpdate's secrets to the current ones. */
export function mergeSecrets(
  current: Readonly<Record<string, string>>,
  update: Readonly<Record<string, string | null>> | undefined,
): Record<string, string> {
  const next: Record<string, string> = { ...current };
  for (const [name, value] of Object.entries(update ?? {})) {
    if (value === null) delete next[name];
    else next[name] = value;
  }
  return next;
}
