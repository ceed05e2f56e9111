import { isAlreadyBound, type PortalRest } from '../b24/portal-rest.js';

/** Events the app binds, online, at its one event URL (BITRIX24.md §3). */
export const ONLINE_EVENTS = [
  'ONCRMLEADADD',
  'ONAPPUNINSTALL',
  'ONEXTERNALCALLBACKSTART',
  'ONOFFLINEEVENT',
] as const;
/** Bound offline too: what a missed online event would lose is drained from here (§3). */
export const OFFLINE_EVENTS = ['ONCRMLEADADD'] as const;

export interface AppUrls {
  /** Where the portal posts events. */
  readonly events: string;
  /** The lead card's tab (`CRM_LEAD_DETAIL_TAB`). */
  readonly leadTab: string;
}

/**
 * Binds the app's events and placements on a portal, with the installing administrator's tokens
 * (offline binding needs an administrator). Binding what is already bound is success, so a second
 * install or an upgrade runs this again safely. Throws the first real failure.
 */
export async function bindPortal(rest: PortalRest, urls: AppUrls): Promise<void> {
  const bind = async (method: string, params: Record<string, unknown>) => {
    try {
      await rest.call(method, params);
    } catch (error) {
      if (!isAlreadyBound(error)) throw error;
    }
  };
  for (const event of ONLINE_EVENTS) await bind('event.bind', { event, handler: urls.events });
  // An offline binding names no handler: the app polls `event.offline.get`.
  for (const event of OFFLINE_EVENTS) await bind('event.bind', { event, event_type: 'offline' });
  await bind('placement.bind', {
    PLACEMENT: 'CRM_LEAD_DETAIL_TAB',
    HANDLER: urls.leadTab,
    TITLE: 'Prozvon',
    DESCRIPTION: 'Calls, texts and outcomes of this lead',
  });
}
