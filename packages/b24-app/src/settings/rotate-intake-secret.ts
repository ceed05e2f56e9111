import { newSecret } from '../install/portal-secrets.js';
import { apiError, apiOk } from './api-response.js';
import type { FrameSession } from './frame-auth.js';
import { SECRET_NAMES } from './portal-providers.js';
import type { SettingsApiDeps } from './settings-api-deps.js';

/**
 * How long the replaced intake secret still opens the intake URL: 24 hours, a day for the shop's
 * developer to paste the new one into the site before its leads are refused.
 */
export const INTAKE_GRACE_MS = 24 * 3_600_000;

/**
 * `POST /api/portal/intake-secret/rotate` (admins): a new intake secret; the one it replaces stays
 * valid for INTAKE_GRACE_MS (a second rotation within it ends the first one's grace at once).
 * The answer is the only time the new secret is shown in clear: `no-store`, and nothing logs it.
 */
export async function rotateIntakeSecret(deps: SettingsApiDeps, session: FrameSession): Promise<Response> {
  const portal = (await deps.portals.getByMemberId(session.portal.memberId)) ?? session.portal;
  const current = portal.secrets[SECRET_NAMES.intake];
  const secret = newSecret();
  const at = deps.now();
  const previousValidUntil = current === undefined ? null : at + INTAKE_GRACE_MS;
  const written = await deps.portals.updateSettings(
    portal.memberId,
    {
      secrets: {
        [SECRET_NAMES.intake]: secret,
        [SECRET_NAMES.intakePrevious]: current ?? null,
        [SECRET_NAMES.intakePreviousUntil]: previousValidUntil === null ? null : String(previousValidUntil),
      },
    },
    { by: session.by, at },
  );
  if (!written) return apiError(404, 'not_found');
  deps.logger.info(
    { memberId: portal.memberId, by: session.by, audit: 'intake_secret_rotated' },
    'intake secret rotated',
  );
  return apiOk({
    secret,
    intakeUrl: deps.urls.intake(portal.portalKey),
    corezoidUrl: deps.urls.corezoid(portal.portalKey, secret),
    previousValidUntil,
  });
}
