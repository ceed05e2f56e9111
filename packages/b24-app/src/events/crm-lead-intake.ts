import { InvalidLeadError, type LeadInput, type Logger } from '@prozvon/sdk';
import type { CrmLead, CrmLeadReader } from './crm-lead-reader.js';

/** Why a CRM lead was taken: its ONCRMLEADADD, the offline queue, or Bitrix24's callback widget. */
export type CrmLeadCause = 'event' | 'offline' | 'callback';

export type TakeOutcome =
  | { readonly taken: true; readonly leadId: string; readonly known: boolean }
  | {
      readonly taken: false;
      readonly reason:
        | 'ours'
        | 'not_found'
        | 'no_phone'
        | 'source_not_called'
        | 'invalid_lead'
        | 'portal_inactive';
    };

/** What the app knows of a portal to decide whether a CRM lead is called. */
export interface CrmLeadPolicy {
  /** The ORIGINATOR_ID of the leads Prozvon creates on this portal: those are never taken again. */
  readonly originatorId: string;
  /** SOURCE_IDs to call; null calls every source (Prozvon's own leads excepted). */
  readonly sources: readonly string[] | null;
  /** `https://<portal>`, for the link to the lead card. */
  readonly origin: string;
}

export interface CrmLeadIntakeDeps {
  readonly reader: (memberId: string) => CrmLeadReader;
  /** Null when the portal is not active (uninstalled, never installed). */
  readonly policy: (memberId: string) => Promise<CrmLeadPolicy | null>;
  /** Runs a CRM lead through the machine from `crm.created`; the same CRM id twice is one lead. */
  readonly adopt: (
    memberId: string,
    input: LeadInput,
    crm: { readonly crmLeadId: string; readonly crmUrl: string },
  ) => Promise<{ readonly leadId: string; readonly known: boolean }>;
  readonly logger: Logger;
}

/**
 * Leads that reach Bitrix24 by another way than Prozvon (a Bitrix24 web form, a manual entry, the
 * callback widget) are read from the portal and run through the same machine, starting at
 * `crm.created` with their CRM id. Prozvon's own leads (their ORIGINATOR_ID) are left alone, as are
 * sources the portal chose not to call — except a callback request, which asks for a call in so
 * many words.
 */
export class CrmLeadIntake {
  readonly #deps: CrmLeadIntakeDeps;

  constructor(deps: CrmLeadIntakeDeps) {
    this.#deps = deps;
  }

  async take(memberId: string, crmLeadId: string, cause: CrmLeadCause, phone?: string): Promise<TakeOutcome> {
    const log = this.#deps.logger.child({ memberId, crmLeadId, cause });
    const policy = await this.#deps.policy(memberId);
    if (policy === null) return skipped(log, 'portal_inactive');
    const lead = await this.#deps.reader(memberId).read(crmLeadId);
    if (lead === null) return skipped(log, 'not_found');
    if ((lead.ORIGINATOR_ID ?? '') === policy.originatorId) return { taken: false, reason: 'ours' };
    if (cause !== 'callback' && policy.sources !== null && !policy.sources.includes(lead.SOURCE_ID ?? '')) {
      return skipped(log, 'source_not_called');
    }
    const number = phone ?? firstPhone(lead);
    if (number === undefined) return skipped(log, 'no_phone');
    try {
      const result = await this.#deps.adopt(memberId, leadInputOf(lead, number), {
        crmLeadId: lead.ID,
        crmUrl: `${policy.origin}/crm/lead/details/${encodeURIComponent(lead.ID)}/`,
      });
      if (!result.known) log.info({ leadId: result.leadId }, 'CRM lead taken');
      return { taken: true, ...result };
    } catch (error) {
      if (error instanceof InvalidLeadError) {
        log.info({ issues: error.issues.map((issue) => issue.path) }, 'CRM lead not called: invalid');
        return { taken: false, reason: 'invalid_lead' };
      }
      throw error;
    }
  }
}

function skipped(log: Logger, reason: Exclude<TakeOutcome, { taken: true }>['reason']): TakeOutcome {
  log.info({ reason }, 'CRM lead not called');
  return { taken: false, reason };
}

function firstPhone(lead: CrmLead): string | undefined {
  return lead.PHONE?.map((phone) => phone.VALUE?.trim() ?? '').find((value) => value !== '');
}

/** The lead as the machine takes it: the customer's name, phone and what the CRM knows of the order. */
function leadInputOf(lead: CrmLead, phone: string): LeadInput {
  const name = [lead.NAME, lead.LAST_NAME].map((part) => part?.trim() ?? '').filter((part) => part !== '');
  const sum = Number(lead.OPPORTUNITY ?? 0);
  return {
    name: (name.length > 0 ? name.join(' ') : (lead.TITLE ?? '').trim() || `Lead #${lead.ID}`).slice(0, 200),
    phone: phone.slice(0, 64),
    ...(sum > 0 ? { orderSum: sum } : {}),
    ...(sum > 0 && lead.CURRENCY_ID ? { currency: lead.CURRENCY_ID } : {}),
    ...(lead.COMMENTS ? { comment: lead.COMMENTS.slice(0, 2000) } : {}),
  };
}
