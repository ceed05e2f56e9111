import type { EntityStore } from '../crm/entity-store.js';
import { RestError } from '../errors.js';
import { stringList } from './params.js';
import type { MethodTable } from './types.js';

// Errors put the message in the code (§4.5).
const messageError = (text: string) => new RestError(400, text, text);

const normalise = (type: string, value: string) =>
  type === 'PHONE' ? value.replace(/\D/g, '') : value.trim().toLowerCase();

function hits(store: EntityStore, type: string, wanted: ReadonlySet<string>): number[] {
  const ids: number[] = [];
  for (const row of store.rows()) {
    const values = (row[type] as { VALUE: string }[] | undefined) ?? [];
    if (values.some((v) => wanted.has(normalise(type, v.VALUE)))) ids.push(Number(row.ID));
  }
  return ids;
}

/**
 * `crm.duplicate.findbycomm` (§4.5): ids of leads, contacts and companies with that phone or
 * e-mail, only the types with hits; `[]` when none (the empty shape is unverified). Phones
 * compare by digits.
 */
export const duplicateMethods: MethodTable = {
  'crm.duplicate.findbycomm': {
    scope: 'crm',
    handle(params, ctx) {
      const type = String(params.type ?? '').toUpperCase();
      if (type !== 'PHONE' && type !== 'EMAIL') throw messageError('Communication type is not defined');
      const values = stringList(params.values);
      if (values.length === 0) throw messageError('Communication values are not defined');
      if (values.length > 20) throw messageError('Too many communication values');
      const wanted = new Set(values.map((v) => normalise(type, v)));
      const only = params.entity_type === undefined ? undefined : String(params.entity_type).toUpperCase();
      const stores: [string, EntityStore][] = [
        ['LEAD', ctx.portal.leads],
        ['CONTACT', ctx.portal.contacts],
        ['COMPANY', ctx.portal.companies],
      ];
      const result: Record<string, number[]> = {};
      for (const [name, store] of stores) {
        if (only !== undefined && only !== name) continue;
        const found = hits(store, type, wanted);
        if (found.length > 0) result[name] = found;
      }
      return { result: Object.keys(result).length === 0 ? [] : result };
    },
  },
};
