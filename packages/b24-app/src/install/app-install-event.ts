import { jsonResponse, type Logger } from '@prozvon/sdk';
import { installAuthSchema } from '../events/event-payload.js';
import type { InstallClaim, InstallOutcome } from './install-portal.js';

/**
 * ONAPPINSTALL (BITRIX24.md §2.1b): a Market app's installation event URL and a UI-less local
 * app's install path both receive it. Its `auth` block is the claim; install-portal.ts believes it
 * only once the OAuth server confirmed the refresh token. 401 for a block without what the
 * install needs (the fields named in the audit line) or a claim not confirmed; 502 when the
 * portal was stored but binding its events failed (the next install finishes it).
 */
export async function answerAppInstall(
  install: (claim: InstallClaim) => Promise<InstallOutcome>,
  auth: unknown,
  logger: Logger,
): Promise<Response> {
  const parsed = installAuthSchema.safeParse(auth);
  if (!parsed.success) {
    logger.warn(
      {
        audit: 'event_refused',
        reason: 'malformed',
        event: 'ONAPPINSTALL',
        fields: parsed.error.issues.map((issue) => `auth.${issue.path.join('.')}`),
      },
      'ONAPPINSTALL refused: its auth block lacks what the install needs',
    );
    return jsonResponse(401, { error: 'unauthorized' });
  }
  const outcome = await install({
    memberId: parsed.data.member_id,
    domain: parsed.data.domain.toLowerCase(),
    serverEndpoint: parsed.data.server_endpoint,
    refreshToken: parsed.data.refresh_token,
    applicationToken: parsed.data.application_token,
  });
  if (outcome.ok) return jsonResponse(200, { ok: true });
  return outcome.reason === 'bind_failed'
    ? jsonResponse(502, { error: 'install_unfinished' })
    : jsonResponse(401, { error: 'unauthorized' });
}
