import {
  EMPTY_SETTINGS,
  mergeSecrets,
  newPortalKey,
  type Portal,
  type PortalInstall,
  type PortalStatus,
  type PortalStore,
  type PortalTokens,
  type SettingsChange,
  type SettingsUpdate,
  type TokenUpdate,
} from './portal-store.js';

/** The PortalStore in memory, for tests: nothing is persisted, so nothing is encrypted. */
export class MemoryPortalStore implements PortalStore {
  readonly #portals = new Map<string, Portal>();
  readonly #history = new Map<string, SettingsChange[]>();
  readonly #locks = new Map<string, { holder: string; until: number }>();

  async upsertInstall(install: PortalInstall): Promise<{ portal: Portal; created: boolean }> {
    const known = this.#portals.get(install.memberId);
    const portal: Portal = {
      memberId: install.memberId,
      portalKey: known?.portalKey ?? newPortalKey(),
      domain: install.domain,
      serverEndpoint: install.serverEndpoint,
      clientEndpoint: install.clientEndpoint,
      status: install.status ?? 'installing',
      applicationToken: install.applicationToken,
      tokens: install.tokens,
      tokenVersion: (known?.tokenVersion ?? 0) + 1,
      settings: known?.settings ?? EMPTY_SETTINGS,
      secrets: known?.secrets ?? {},
      settingsVersion: known?.settingsVersion ?? 0,
      settingsChangedBy: known?.settingsChangedBy ?? null,
      settingsChangedAt: known?.settingsChangedAt ?? null,
      installedAt: known?.installedAt ?? install.at,
      updatedAt: install.at,
    };
    this.#portals.set(portal.memberId, portal);
    return { portal: structuredClone(portal), created: !known };
  }

  async getByMemberId(memberId: string): Promise<Portal | null> {
    const portal = this.#portals.get(memberId);
    return portal ? structuredClone(portal) : null;
  }

  async getByPortalKey(portalKey: string): Promise<Portal | null> {
    for (const portal of this.#portals.values()) {
      if (portal.portalKey === portalKey) return structuredClone(portal);
    }
    return null;
  }

  async updateTokens(
    memberId: string,
    tokens: PortalTokens,
    expectedVersion: number,
    at: number,
  ): Promise<TokenUpdate> {
    const portal = this.#portals.get(memberId);
    if (!portal || portal.tokenVersion !== expectedVersion) return { updated: false };
    const tokenVersion = expectedVersion + 1;
    this.#portals.set(memberId, { ...portal, tokens: { ...tokens }, tokenVersion, updatedAt: at });
    return { updated: true, tokenVersion };
  }

  async setStatus(
    memberId: string,
    status: PortalStatus,
    at: number,
    from?: readonly PortalStatus[],
  ): Promise<boolean> {
    const current = this.#portals.get(memberId);
    if (current !== undefined && from !== undefined && !from.includes(current.status)) return false;
    return this.#change(memberId, (portal) => ({ ...portal, status, updatedAt: at }));
  }

  async updateSettings(memberId: string, update: SettingsUpdate, change: SettingsChange): Promise<boolean> {
    const current = this.#portals.get(memberId);
    if (update.expectedVersion !== undefined && current?.settingsVersion !== update.expectedVersion)
      return false;
    const changed = this.#change(memberId, (portal) => ({
      ...portal,
      settingsVersion: portal.settingsVersion + 1,
      settings: structuredClone(update.settings ?? portal.settings),
      secrets: mergeSecrets(portal.secrets, update.secrets),
      settingsChangedBy: change.by,
      settingsChangedAt: change.at,
      updatedAt: change.at,
    }));
    if (changed) this.#history.set(memberId, [{ ...change }, ...(this.#history.get(memberId) ?? [])]);
    return changed;
  }

  async settingsHistory(memberId: string): Promise<readonly SettingsChange[]> {
    return structuredClone(this.#history.get(memberId) ?? []);
  }

  async uninstall(memberId: string, at: number): Promise<boolean> {
    return this.#change(memberId, (portal) => ({
      ...portal,
      status: 'uninstalled',
      applicationToken: null,
      tokens: null,
      tokenVersion: portal.tokenVersion + 1,
      secrets: {},
      updatedAt: at,
    }));
  }

  async listActive(): Promise<readonly Portal[]> {
    return [...this.#portals.values()]
      .filter((portal) => portal.status === 'active')
      .sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0))
      .map((portal) => structuredClone(portal));
  }

  async acquireRefreshLock(
    memberId: string,
    holder: string,
    untilMs: number,
    nowMs: number,
  ): Promise<boolean> {
    const lock = this.#locks.get(memberId);
    if (lock && lock.holder !== holder && lock.until > nowMs) return false;
    this.#locks.set(memberId, { holder, until: untilMs });
    return true;
  }

  async releaseRefreshLock(memberId: string, holder: string): Promise<boolean> {
    if (this.#locks.get(memberId)?.holder !== holder) return false;
    this.#locks.delete(memberId);
    return true;
  }

  async close(): Promise<void> {}

  #change(memberId: string, next: (portal: Portal) => Portal): boolean {
    const portal = this.#portals.get(memberId);
    if (!portal) return false;
    this.#portals.set(memberId, next(portal));
    return true;
  }
}
