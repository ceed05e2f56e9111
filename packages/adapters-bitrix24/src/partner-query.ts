import { type CrmPartner, PermanentError } from '@prozvon/sdk';
import { z } from 'zod';
import type { PartnerOptions } from './options.js';
import type { RestCommand } from './rest-batcher.js';

/**
 * The look-up of a partner by referral code: an exact match (`=`) on the configured field, oldest
 * first; v2 lists skip counting (`start: -1`, BITRIX24.md §4.1) since one row is all we need. The
 * code field is selected too, so the answer can be checked (see `matchesCode`).
 */
export function partnerLookup(code: string, partner: PartnerOptions): RestCommand {
  const filter = { [`=${partner.codeField}`]: code };
  switch (partner.entity) {
    case 'company':
      return {
        method: 'crm.company.list',
        params: { filter, select: ['ID', 'TITLE', partner.codeField], order: { ID: 'ASC' }, start: -1 },
      };
    case 'contact':
      return {
        method: 'crm.contact.list',
        params: {
          filter,
          select: ['ID', 'NAME', 'LAST_NAME', partner.codeField],
          order: { ID: 'ASC' },
          start: -1,
        },
      };
    case 'item':
      return {
        method: 'crm.item.list',
        params: {
          entityTypeId: partner.entityTypeId,
          filter,
          select: ['id', 'title', partner.codeField],
          order: { id: 'ASC' },
          // crm.item.list documents no `start: -1`; a partner code matches a row or two anyway.
        },
      };
  }
}

const id = z.union([z.string(), z.number()]).transform(String);
const v2Rows = z.array(
  z
    .object({
      ID: id,
      TITLE: z.string().nullish(),
      NAME: z.string().nullish(),
      LAST_NAME: z.string().nullish(),
    })
    .catchall(z.unknown()),
);
const itemRows = z.object({
  items: z.array(z.object({ id, title: z.string().nullish() }).catchall(z.unknown())),
});

/** The partner in a look-up's result, or null when no row has the code. */
export function parsePartner(result: unknown, partner: PartnerOptions, code: string): CrmPartner | null {
  if (partner.entity === 'item') {
    const parsed = itemRows.safeParse(result);
    if (!parsed.success) throw unexpected('crm.item.list', parsed.error);
    const item = checked(parsed.data.items, partner.codeField, code, 'crm.item.list');
    if (item === undefined) return null;
    return { id: item.id, name: item.title ?? `#${item.id}`, entity: `item:${partner.entityTypeId}` };
  }
  const parsed = v2Rows.safeParse(result);
  const method = `crm.${partner.entity}.list`;
  if (!parsed.success) throw unexpected(method, parsed.error);
  const row = checked(parsed.data, partner.codeField, code, method);
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
 * The first row that really carries the code. The portal ignores a filter on a field it does not
 * know (a mistyped or deleted UF), and then answers every row: without this check each lead would
 * get the oldest company as its partner. Such an answer is a configuration error, said loudly.
 * Values compare as the portal's collation does, ignoring case; a multiple field matches any value.
 */
function checked<Row extends Record<string, unknown>>(
  rows: readonly Row[],
  field: string,
  code: string,
  method: string,
): Row | undefined {
  if (rows.length === 0) return undefined;
  const wanted = code.trim().toLowerCase();
  const found = rows.find((row) => {
    const value = row[field];
    const values = Array.isArray(value) ? value : [value];
    return values.some((v) => typeof v === 'string' && v.trim().toLowerCase() === wanted);
  });
  if (found !== undefined) return found;
  throw new PermanentError(
    `Bitrix24 ${method}: no row carries the code in ${field}, so the portal ignored the filter — is partner.codeField a field of this entity?`,
  );
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
