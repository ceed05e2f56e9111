import { jsonResponse, type Logger } from '@prozvon/sdk';
import type { Background } from '../http/background.js';
import { readFormBody } from '../http/form-body.js';
import { answerAppInstall } from '../install/app-install-event.js';
import type { InstallClaim, InstallOutcome } from '../install/install-portal.js';
import type { PortalStore } from '../portals/portal-store.js';
import type { CrmLeadIntake } from './crm-lead-intake.js';
import {
  callbackStartDataSchema,
  crmEventDataSchema,
  eventPayloadSchema,
  uninstallDataSchema,
} from './event-payload.js';
import { verifyEvent } from './verify-event.js';

export interface EventRouteDeps {
  readonly portals: PortalStore;
  readonly crmLeads: CrmLeadIntake;
  /** Drains the portal's offline queue (ONOFFLINEEVENT says it has entries). */
  readonly drain: (memberId: string) => void;
  readonly uninstall: (memberId: string, clean: boolean) => Promise<void>;
  /** ONAPPINSTALL: the same install as the install page's (install/install-portal.ts). */
  readonly install: (claim: InstallClaim) => Promise<InstallOutcome>;
  readonly background: Background;
  readonly logger: Logger;
}

const ok = () => jsonResponse(200, { ok: true });

/**
 * The app's one event URL. Every event must carry its portal's `application_token` (constant time)
 * and `member_id`; anything else gets 401 with nothing changed and an audit line. The work an event
 * asks for runs after the answer (the portal gives handlers little time and never retries), and
 * what a lost online event would miss the offline queue still holds.
 */
export function createEventRoute(deps: EventRouteDeps) {
  return async (request: Request): Promise<Response> => {
    if (request.method !== 'POST') return jsonResponse(405, { error: 'method_not_allowed' });
    const form = await readFormBody(request);
    if (!form.ok) return form.response;
    const parsed = eventPayloadSchema.safeParse(form.fields);
    if (!parsed.success) {
      deps.logger.warn(
        { audit: 'event_refused', reason: 'malformed' },
        'event refused: not a Bitrix24 event',
      );
      return jsonResponse(401, { error: 'unauthorized' });
    }
    const payload = parsed.data;
    const memberId = payload.auth.member_id;
    // A Market install (no UI) arrives here before the portal is known: its proof is the refresh
    // token the OAuth server confirms, not a stored application_token.
    if (payload.event === 'ONAPPINSTALL') return answerAppInstall(deps.install, payload.auth, deps.logger);
    const verified = await verifyEvent(deps.portals, payload);
    if (!verified.ok) {
      deps.logger.warn(
        { audit: 'event_refused', reason: verified.reason, event: payload.event, memberId },
        'event refused: not from an installed portal',
      );
      return jsonResponse(401, { error: 'unauthorized' });
    }
    const log = deps.logger.child({ memberId, event: payload.event });
    switch (payload.event) {
      case 'ONAPPUNINSTALL': {
        const data = uninstallDataSchema.safeParse(payload.data);
        const clean = data.success && data.data.CLEAN === '1';
        await deps.uninstall(memberId, clean);
        log.info({ audit: 'uninstalled', clean }, 'portal uninstalled the app');
        return ok();
      }
      case 'ONCRMLEADADD': {
        const data = crmEventDataSchema.safeParse(payload.data);
        if (!data.success) return jsonResponse(400, { error: 'data.FIELDS.ID is missing' });
        const crmLeadId = data.data.FIELDS.ID;
        deps.background.run('CRM lead intake', { memberId, crmLeadId }, () =>
          deps.crmLeads.take(memberId, crmLeadId, 'event'),
        );
        return ok();
      }
      case 'ONEXTERNALCALLBACKSTART': {
        const data = callbackStartDataSchema.safeParse(payload.data);
        if (!data.success || data.data.CRM_ENTITY_TYPE !== 'LEAD' || data.data.CRM_ENTITY_ID === undefined) {
          log.warn({ reason: 'no_lead' }, 'callback request without a CRM lead: not called');
          return ok();
        }
        const { CRM_ENTITY_ID: crmLeadId, PHONE_NUMBER: phone } = data.data;
        deps.background.run('callback request', { memberId, crmLeadId }, () =>
          deps.crmLeads.take(memberId, crmLeadId, 'callback', phone),
        );
        return ok();
      }
      case 'ONOFFLINEEVENT':
        deps.drain(memberId);
        return ok();
      default:
        // Bound by someone else, or an event the app no longer uses: acknowledged, nothing done.
        return ok();
    }
  };
}
