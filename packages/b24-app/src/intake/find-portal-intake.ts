import type { PortalStore } from '../portals/portal-store.js';
import { readProviders, SECRET_NAMES } from '../settings/portal-providers.js';
import type { FindPortalIntake } from './portal-intake.js';

/**
 * A portal's intake facts from the store: its secret (and the one before the last rotation, until
 * its grace period ends) and the shop origins of its settings. A portal that is not installed (or
 * was uninstalled, which deleted its secrets) has none: its URLs answer as unknown.
 */
export function findPortalIntake(portals: PortalStore): FindPortalIntake {
  return async (portalKey) => {
    const portal = await portals.getByPortalKey(portalKey);
    if (portal === null || (portal.status !== 'active' && portal.status !== 'needs_reinstall')) return null;
    const current = portal.secrets[SECRET_NAMES.intake];
    if (current === undefined) return null;
    const previous = portal.secrets[SECRET_NAMES.intakePrevious];
    const until = Number(portal.secrets[SECRET_NAMES.intakePreviousUntil] ?? 0);
    return {
      tenantId: portal.memberId,
      secrets: { current, previous: previous === undefined ? null : { secret: previous, expiresAt: until } },
      origins: readProviders(portal.settings.providers).site.origins.map((origin) => new URL(origin).origin),
    };
  };
}
