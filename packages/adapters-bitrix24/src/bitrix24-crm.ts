import {
  type CallOptions,
  type CallRecord,
  type CrmLeadRef,
  type CrmLeadRequest,
  type CrmPartner,
  type CrmPort,
  PermanentError,
  parseSettings,
} from '@prozvon/sdk';
import { z } from 'zod';
import { callComment, callEntryCommands, noAnswerComment } from './call-record.js';
import { createPortalClient, type PortalClient } from './client.js';
import { leadFields } from './lead-fields.js';
import { type Bitrix24CrmOptions, bitrix24CrmOptionsSchema, type ResolvedOptions } from './options.js';
import { parsePartner, partnerLookup } from './partner-query.js';
import { RestBatcher, type RestCommand, resultOf } from './rest-batcher.js';
import { SharedCalls } from './shared-calls.js';

const leadKeyRows = z.array(
  z.object({
    ID: z.union([z.string(), z.number()]).transform(String),
    ORIGIN_ID: z.string().nullish(),
    ORIGINATOR_ID: z.string().nullish(),
  }),
);
const addedId = z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).transform(String);

/**
 * CrmPort on a Bitrix24 portal, through an inbound webhook or an OAuth app install. Options are
 * validated here (a bad one throws a SettingsError, one line per bad field); nothing is sent until a method runs.
 */
export function createBitrix24Crm(input: Bitrix24CrmOptions): CrmPort {
  const options = parseSettings(bitrix24CrmOptionsSchema, input, '@prozvon/adapters-bitrix24');
  const client = createPortalClient(options);
  return new Bitrix24Crm(options, client, new RestBatcher(client.send, options.maxInFlight));
}

/** `finish`'s answer for a CALL_ID that is no longer open (telephony-external-call-finish.md). */
function alreadyFinished(error: Error): boolean {
  return (
    error instanceof PermanentError && /Call is not found \(call should be registered/.test(error.message)
  );
}

class Bitrix24Crm implements CrmPort {
  readonly #options: ResolvedOptions;
  readonly #client: PortalClient;
  readonly #rest: RestBatcher;
  /** createLead calls under way by key: two in one process must not both add. */
  readonly #creating = new SharedCalls<CrmLeadRef>('crm.lead.add');
  /** Partner look-ups under way by code: a burst from one referral link asks the portal once. */
  readonly #finding = new SharedCalls<CrmPartner | null>('partner look-up');

  constructor(options: ResolvedOptions, client: PortalClient, rest: RestBatcher) {
    this.#options = options;
    this.#client = client;
    this.#rest = rest;
  }

  findPartner(code: string, options?: CallOptions): Promise<CrmPartner | null> {
    const trimmed = code.trim();
    if (trimmed === '') return Promise.resolve(null);
    const partner = this.#options.partner;
    return this.#finding.join(
      trimmed,
      async (signal) =>
        parsePartner(await this.#rest.run(partnerLookup(trimmed, partner), signal), partner, trimmed),
      options?.signal,
    );
  }

  async findLeadByKey(key: string, options?: CallOptions): Promise<CrmLeadRef | null> {
    const rows = leadKeyRows.safeParse(await this.#rest.run(this.#byKey(key), options?.signal));
    if (!rows.success) throw new PermanentError('Bitrix24 crm.lead.list: unexpected answer');
    if (rows.data.length === 0) return null;
    // Checked, not trusted: a filter the portal ignored would answer every lead, and createLead
    // would then hand a stranger's lead to this customer.
    const same = (a: string | null | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();
    const originator = this.#options.lead.originatorId;
    const mine = rows.data.find((row) => same(row.ORIGIN_ID, key) && same(row.ORIGINATOR_ID, originator));
    if (mine === undefined) {
      throw new PermanentError('Bitrix24 crm.lead.list: the leads found do not carry this ORIGIN_ID');
    }
    return this.#ref(mine.ID);
  }

  createLead(request: CrmLeadRequest, options?: CallOptions): Promise<CrmLeadRef> {
    return this.#creating.join(request.key, (signal) => this.#create(request, signal), options?.signal);
  }

  /**
   * Look up, then add. A batch cannot say "add only if the look-up found nothing" ($result can
   * only feed values forward), so these are two requests; both are coalesced with other leads'
   * commands by the batcher. The SDK never re-sends the add blindly (client.ts), and a retry by the
   * engine comes back through this look-up.
   */
  async #create(request: CrmLeadRequest, signal: AbortSignal): Promise<CrmLeadRef> {
    const existing = await this.findLeadByKey(request.key, { signal });
    if (existing !== null) return existing;
    const id = addedId.safeParse(
      await this.#rest.run(
        {
          method: 'crm.lead.add',
          params: { fields: leadFields(request, this.#options), params: { REGISTER_SONET_EVENT: 'Y' } },
        },
        signal,
      ),
    );
    if (!id.success) throw new PermanentError('Bitrix24 crm.lead.add: unexpected answer');
    return this.#ref(id.data);
  }

  /**
   * With OAuth, a real call entry (register + finish + record) in one request; with a webhook the
   * telephony methods answer WRONG_AUTH_TYPE, so the call becomes a timeline comment.
   *
   * At least once, not exactly once: the engine repeats a CRM write only when it did not learn
   * the outcome (a crash, a lost answer), and telling whether the portal has this call would cost a
   * read per call — a third more requests against a 2-a-second budget — for a rare, visible and
   * harmless repeat. Each entry carries the record's key (EXTERNAL_CALL_ID, or a marker in the
   * text), so a repeat can be recognised; and a repeat after a failed finish re-uses the call.
   */
  async recordCall(crmLeadId: string, record: CallRecord, options?: CallOptions): Promise<void> {
    const signal = options?.signal;
    if (this.#client.mode === 'webhook') {
      await this.#runAll([this.#comment(crmLeadId, callComment(record))], signal);
      return;
    }
    const outcomes = await this.#rest.runGroup(
      callEntryCommands(record, {
        leadId: crmLeadId,
        userId: this.#options.calls.userId ?? this.#options.lead.assignedById ?? 1,
        lineNumber: this.#options.calls.lineNumber,
      }),
      signal,
    );
    const [register, finish, attach] = outcomes;
    if (register !== undefined && !register.ok) throw register.error;
    // The portal may hand a repeated register (same EXTERNAL_CALL_ID, within 30 minutes) the CALL_ID
    // of the call we already finished (BITRIX24.md §5); its finish then answers "Call is not found".
    // That call is on the card: this repeat is done, not failed.
    if (finish !== undefined && !finish.ok && !alreadyFinished(finish.error)) throw finish.error;
    if (attach !== undefined && !attach.ok) throw attach.error;
  }

  /**
   * The lead moves to the "no answer" stage and gets a note, in one request. Only a lead still in
   * progress moves: a seller may have won or closed it since the call began, and a retry 30 minutes
   * later must not drag it back. A batch cannot branch, but `$result` can aim: the update targets
   * the id the in-progress look-up found, and when it found none the update has no valid id and
   * fails harmlessly.
   */
  async markNoAnswer(crmLeadId: string, details: CallRecord, options?: CallOptions): Promise<void> {
    const [inProgress, update, note] = await this.#rest.runGroup(
      [
        {
          method: 'crm.lead.list',
          params: {
            filter: { '=ID': crmLeadId, '=STATUS_SEMANTIC_ID': 'P' },
            select: ['ID'],
            start: -1,
          },
        },
        {
          method: 'crm.lead.update',
          params: {
            id: resultOf(0, '0', 'ID'),
            fields: {
              STATUS_ID: this.#options.calls.noAnswerStatusId,
              STATUS_DESCRIPTION: `Нет ответа, попытка ${details.attempt}`,
            },
            params: { REGISTER_SONET_EVENT: 'N' },
          },
        },
        this.#comment(crmLeadId, noAnswerComment(details)),
      ],
      options?.signal,
    );
    if (inProgress !== undefined && !inProgress.ok) throw inProgress.error;
    const moved = inProgress?.ok === true && Array.isArray(inProgress.result) && inProgress.result.length > 0;
    if (moved && update !== undefined && !update.ok) throw update.error;
    if (note !== undefined && !note.ok) throw note.error;
  }

  async #runAll(commands: readonly RestCommand[], signal: AbortSignal | undefined): Promise<void> {
    const outcomes = await this.#rest.runGroup(commands, signal);
    for (const outcome of outcomes) if (!outcome.ok) throw outcome.error;
  }

  #comment(leadId: string, text: string): RestCommand {
    return {
      method: 'crm.timeline.comment.add',
      params: { fields: { ENTITY_ID: leadId, ENTITY_TYPE: 'lead', COMMENT: text } },
    };
  }

  #byKey(key: string): RestCommand {
    return {
      method: 'crm.lead.list',
      params: {
        filter: { '=ORIGIN_ID': key, '=ORIGINATOR_ID': this.#options.lead.originatorId },
        select: ['ID', 'ORIGIN_ID', 'ORIGINATOR_ID'],
        order: { ID: 'ASC' },
        start: -1,
      },
    };
  }

  #ref(id: string): CrmLeadRef {
    return { id, url: `${this.#client.origin}/crm/lead/details/${id}/` };
  }
}
