import type { IntakeSecrets } from './intake-secrets.js';

/** What the intake routes need to know of a portal, found by its public `portalKey`. */
export interface PortalIntake {
  /** The engine's tenant id of the portal. */
  readonly tenantId: string;
  readonly secrets: IntakeSecrets;
  /** The shop origins whose pages may post here from a browser (`https://shop.example`). */
  readonly origins: readonly string[];
}

/** Finds a portal's intake facts by its `portalKey`; null when no active portal has it. */
export type FindPortalIntake = (portalKey: string) => Promise<PortalIntake | null>;
