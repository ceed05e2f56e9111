import { z } from 'zod';
import { RestCallError } from '../b24/portal-rest.js';
import { apiError, apiOk } from './api-response.js';
import type { FrameSession } from './frame-auth.js';
import { readProviders } from './portal-providers.js';
import type { SettingsApiDeps } from './settings-api-deps.js';

/** What Prozvon writes on the CRM leads it creates (adapters-bitrix24 lead-fields.ts, sdk effects.ts). */
const ORIGINATOR = 'prozvon';
const ORIGIN_PREFIX = 'prozvon:';

const crmLeadSchema = z
  .object({
    ID: z.coerce.string(),
    SOURCE_ID: z.string().nullish(),
    ORIGINATOR_ID: z.string().nullish(),
    ORIGIN_ID: z.string().nullish(),
    PHONE: z.array(z.object({ VALUE: z.string().nullish() }).loose()).nullish(),
  })
  .loose();

/**
 * `GET /api/portal/crm-leads/:crmLeadId`: the Prozvon lead behind a CRM lead, for the lead-card
 * tab (which only knows the CRM lead's ID from PLACEMENT_OPTIONS). A lead Prozvon adopted from the
 * CRM (a form's, a manual one) is found by the store's adoption index; a lead Prozvon created
 * carries `ORIGINATOR_ID=prozvon` and `ORIGIN_ID=prozvon:<leadId>`, read from the portal with the
 * app's tokens. Otherwise the answer says Prozvon never handled it, and whether its settings
 * would call it (its source, a phone).
 */
export async function getCrmLead(
  deps: SettingsApiDeps,
  session: FrameSession,
  crmLeadId: string,
): Promise<Response> {
  if (!/^\d{1,12}$/.test(crmLeadId)) {
    return apiError(400, 'invalid_request', {
      issues: [{ path: 'crmLeadId', message: 'expected a CRM lead ID' }],
    });
  }
  const memberId = session.portal.memberId;
  const adopted = await deps.leads.findAdoptedLead(memberId, crmLeadId);
  if (adopted !== null) return apiOk({ crmLeadId, handled: true, leadId: adopted });
  let row: unknown;
  try {
    row = await (await deps.rest.forPortal(memberId)).call('crm.lead.get', { id: crmLeadId });
  } catch (error) {
    if (error instanceof RestCallError && /not found/i.test(error.message)) return apiError(404, 'not_found');
    deps.logger.warn({ err: error, memberId, crmLeadId }, 'crm.lead.get for the lead tab failed');
    return apiError(503, 'unavailable', { message: 'the portal did not answer; try again' });
  }
  const parsed = crmLeadSchema.safeParse(row);
  if (!parsed.success) return apiError(404, 'not_found');
  const crm = parsed.data;
  const origin = crm.ORIGIN_ID ?? '';
  if (crm.ORIGINATOR_ID === ORIGINATOR && origin.startsWith(ORIGIN_PREFIX)) {
    const leadId = origin.slice(ORIGIN_PREFIX.length);
    const lead = await deps.host.getLead(memberId, leadId);
    if (lead !== null) return apiOk({ crmLeadId, handled: true, leadId });
  }
  const sources = readProviders(session.portal.settings.providers).crm.callSources;
  const source = crm.SOURCE_ID ?? null;
  const hasPhone = (crm.PHONE ?? []).some((phone) => (phone.VALUE ?? '').trim() !== '');
  return apiOk({
    crmLeadId,
    handled: false,
    source,
    hasPhone,
    /** Whether a lead like this one, added now, would be called back under the portal's settings. */
    wouldCall:
      hasPhone && crm.ORIGINATOR_ID !== ORIGINATOR && (sources === null || sources.includes(source ?? '')),
    callSources: sources,
  });
}
