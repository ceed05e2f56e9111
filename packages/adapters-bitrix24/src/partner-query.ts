import { type CrmPartner, PermanentError } from '@prozvon/sdk';
import { z } from 'zod';
import type { PartnerOptions } from './options.js';
import type { RestCommand } from './rest-batcher.js';

/**
 * The look-up of a partner by referral code: an exact match (`=`) on the configured field, oldest
 * first; v2 lists skip counting (`start: -1`, BITRIX24.md §4.1) since one row is all we need.
 */
export function partnerLookup(code: string, partner: PartnerOptions): RestCommand {
  const filter = { [`=${partner.codeField}`]: code };
  switch (partner.entity) {
    case 'company':
      return {
        method: 'crm.company.list',
        params: { filter, select: ['ID', 'TITLE'], order: { ID: 'ASC' }, start: -1 },
      };
    case 'contact':
      return {
        method: 'crm.contact.list',
        params: { filter, select: ['ID', 'NAME', 'LAST_NAME'], order: { ID: 'ASC' }, start: -1 },
      };
    case 'item':
      return {
        method: 'crm.item.list',
        params: {
          entityTypeId: partner.entityTypeId,
          filter,
          select: ['id', 'title'],
          order: { id: 'ASC' },
          // crm.item.list documents no `start: -1`; a partner code matches a row or two anyway.
        },
      };
  }
}

const v2Row = z.object({
  ID: z.union([z.string(), z.number()]).transform(String),
  TITLE: z.string().nullish(),
  NAME: z.string().nullish(),
  LAST_NAME: z.string().nullish(),
});
const v2Rows = z.array(v2Row);
const itemRows = z.object({
  items: z.array(
    z.object({ id: z.union([z.string(), z.number()]).transform(String), title: z.string().nullish() }),
  ),
});

/** The partner in a look-up's result, or null when no row has the code. */
export function parsePartner(result: unknown, partner: PartnerOptions): CrmPartner | null {
  if (partner.entity === 'item') {
    const parsed = itemRows.safeParse(result);
    if (!parsed.success) throw unexpected('crm.item.list', parsed.error);
    const item = parsed.data.items[0];
    if (item === undefined) return null;
    return { id: item.id, name: item.title ?? `#${item.id}`, entity: `item:${partner.entityTypeId}` };
  }
  const parsed = v2Rows.safeParse(Array.isArray(result) && result.length === 0 ? [] : result);
  if (!parsed.success) throw unexpected(`crm.${partner.entity}.list`, parsed.error);
  const row = parsed.data[0];
  if (row === undefined) return null;
  const name =
    partner.entity === 'company'
      ? row.TITLE
      : [row.NAME, row.LAST_NAME]
          .filter((part) => part !== undefined && part !== null && part !== '')
          .join(' ');
  return { id: row.ID, name: name || `#${row.ID}`, entity: partner.entity };
}

/**
 * Where the lead points at its partner: a configured lead field gets the `crm`-type binding value
 * (`CO_12`, `C_7`, `T80_3`, BITRIX24.md §4.2); otherwise COMPANY_ID / CONTACT_ID. An item with no
 * configured field is only named in COMMENTS.
 */
export function partnerLink(
  partner: CrmPartner,
  options: PartnerOptions,
): { field: string; value: string } | undefined {
  const item = /^item:(\d+)$/.exec(partner.entity);
  if (options.leadField !== undefined) {
    const prefix = item ? `T${Number(item[1]).toString(16)}` : partner.entity === 'contact' ? 'C' : 'CO';
    return { field: options.leadField, value: `${prefix}_${partner.id}` };
  }
  if (partner.entity === 'company') return { field: 'COMPANY_ID', value: partner.id };
  if (partner.entity === 'contact') return { field: 'CONTACT_ID', value: partner.id };
  return undefined;
}

function unexpected(method: string, error: z.ZodError): PermanentError {
  return new PermanentError(`Bitrix24 ${method}: unexpected answer (${z.prettifyError(error)})`);
}
