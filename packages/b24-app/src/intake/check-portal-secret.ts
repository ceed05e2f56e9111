import { intakeSecretCheck } from './intake-secrets.js';
import type { FindPortalIntake } from './portal-intake.js';

/**
 * The Corezoid drop-in's `checkSecret` on the portal look-up the intake route uses: the portal's
 * tenant when the URL's secret is its current one, or its previous one before expiry (compared in
 * constant time); null for an unknown portal or a wrong secret alike.
 */
export function checkPortalSecret(
  findPortal: FindPortalIntake,
  now: () => number = Date.now,
): (portalKey: string, secret: string) => Promise<string | null> {
  return async (portalKey, secret) => {
    const portal = await findPortal(portalKey);
    if (portal === null) return null;
    return (await intakeSecretCheck(portal.secrets, now)(secret)) ? portal.tenantId : null;
  };
}
