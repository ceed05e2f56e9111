import { sameSecret } from '@prozvon/sdk';
import type { Portal, PortalStore } from '../portals/portal-store.js';
import type { EventPayload } from './event-payload.js';

export type Verified =
  | { readonly ok: true; readonly portal: Portal }
  | { readonly ok: false; readonly reason: string };

/**
 * An event is the portal's only if its `application_token` is the one stored at install, for the
 * portal its `member_id` names (BITRIX24.md §3): the only proof an event carries.
 */
export async function verifyEvent(portals: PortalStore, payload: EventPayload): Promise<Verified> {
  const portal = await portals.getByMemberId(payload.auth.member_id);
  if (portal === null) return { ok: false, reason: 'unknown_portal' };
  if (portal.applicationToken === null) return { ok: false, reason: 'not_installed' };
  if (!sameSecret(portal.applicationToken, payload.auth.application_token))
    return { ok: false, reason: 'bad_token' };
  return { ok: true, portal };
}
