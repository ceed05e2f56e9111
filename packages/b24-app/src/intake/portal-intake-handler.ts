import {
  createIntakeHandler,
  type SubmitResult,
  unavailableResponse,
  unknownTenantResponse,
} from '@prozvon/sdk';
import { corsFor } from './cors.js';
import { portalKeyOfPath } from './intake-paths.js';
import { intakeSecretCheck } from './intake-secrets.js';
import type { FindPortalIntake, PortalIntake } from './portal-intake.js';

export interface PortalIntakeHandlerOptions {
  readonly findPortal: FindPortalIntake;
  /** Usually `(tenantId, body) => host.submitLead(tenantId, body)`. */
  readonly submit: (tenantId: string, body: unknown) => Promise<SubmitResult>;
  /** The clock the previous secret's expiry is read on. Default `Date.now`. */
  readonly now?: () => number;
  /** The SDK's default (64 KiB) when absent. */
  readonly maxBodyBytes?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * `POST /p/<portalKey>/leads`: DESIGN.md's public JSON contract for one portal, as the SDK's
 * intake handler with the portal's secrets (the current one, or the previous one during its grace
 * period) as `Authorization: Bearer` or `X-Prozvon-Secret`, and CORS for the portal's listed shop
 * origins. An unknown portal is 404 (a preflight too), a failed look-up 503. Answers otherwise as
 * `createIntakeHandler`.
 */
export function createPortalIntakeHandler(
  options: PortalIntakeHandlerOptions,
): (request: Request) => Promise<Response> {
  const now = options.now ?? Date.now;
  return async (request) => {
    const portalKey = portalKeyOfPath(request.url);
    let portal: PortalIntake | null;
    try {
      portal = portalKey === null ? null : await options.findPortal(portalKey);
    } catch (error) {
      // The portal store failed: nothing was accepted, and the shop may retry.
      options.onError?.(error);
      return unavailableResponse();
    }
    if (portal === null) return unknownTenantResponse();
    const { tenantId } = portal;
    const intake = createIntakeHandler({
      submit: (body) => options.submit(tenantId, body),
      secret: intakeSecretCheck(portal.secrets, now),
      ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
      ...(options.onError === undefined ? {} : { onError: options.onError }),
    });
    return corsFor(portal.origins)(intake)(request);
  };
}
