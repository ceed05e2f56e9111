import { renderStatePage, type StateSection } from '../core/state-page.js';
import type { Portal } from './portal.js';

const LEAD_COLUMNS = ['ID', 'TITLE', 'NAME', 'STATUS_ID', 'UTM_SOURCE', 'ORIGIN_ID', 'DATE_CREATE'] as const;

/** `GET /`: per portal, its leads, timeline comments, calls and outbound events, for the demo. */
export function statePage(portals: Iterable<Portal>): string {
  const sections: StateSection[] = [];
  for (const portal of portals) {
    const name = `${portal.key} (${portal.memberId})`;
    sections.push({
      heading: `${name}: leads`,
      rows: portal.leads.all().map((lead) => ({
        ...Object.fromEntries(LEAD_COLUMNS.map((c) => [c, lead[c]])),
        PHONE: ((lead.PHONE as { VALUE: string }[] | undefined) ?? []).map((p) => p.VALUE).join(', '),
      })),
    });
    sections.push({ heading: `${name}: timeline comments`, rows: portal.comments });
    sections.push({
      heading: `${name}: calls`,
      rows: [...portal.calls.values()].map((call) => ({
        callId: call.callId,
        phone: call.phoneNumber,
        entity: call.crmEntityType ? `${call.crmEntityType} ${call.crmEntityId}` : '',
        started: call.startDate,
        duration: call.finished?.duration,
        status: call.finished?.statusCode ?? 'in progress',
      })),
    });
    sections.push({
      heading: `${name}: events sent`,
      rows: portal.deliveries.map(({ event, handler, at, outcome }) => ({ event, handler, at, outcome })),
    });
  }
  return renderStatePage('Bitrix24 simulator', sections);
}
