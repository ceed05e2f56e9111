import type { EntityStore, Row } from '../crm/entity-store.js';
import type { MethodResult } from '../envelope.js';
import { type FieldReader, matches, orderComparator, paginate, parseFilter } from '../list-filter.js';
import { stringList } from './params.js';
import type { Params } from './types.js';

function reader(store: EntityStore): FieldReader {
  return (row, field) => {
    const value = row[field];
    if (store.fields[field]?.type === 'crm_multifield') {
      return Array.isArray(value) ? value.map((item: { VALUE: string }) => item.VALUE) : [];
    }
    return value;
  };
}

/**
 * `crm.<entity>.list` for leads, companies and contacts: filter with prefixes, order, select and
 * 50-row pages (BITRIX24.md §4.1). Filter keys naming no field are ignored (unverified: the portal
 * may reject some), keys are upper-cased as every v2 field name is.
 */
export function listEntities(store: EntityStore, params: Params, offsetMinutes?: number): MethodResult {
  const read = reader(store);
  const known = (field: string) => field in store.fields || store.userFields.has(field);
  const conditions = parseFilter(params.filter, offsetMinutes)
    .map((c) => ({ ...c, field: c.field.toUpperCase() }))
    .filter((c) => known(c.field));
  const selected: Row[] = [];
  for (const row of store.rows()) {
    if (matches(row, conditions, read)) selected.push(row);
  }
  selected.sort(orderComparator(upperKeys(params.order), read, 'ID'));
  const { page, total, next } = paginate(selected, params.start);
  const select = stringList(params.select);
  return { result: page.map((row) => store.project(row, select)), total, next };
}

function upperKeys(order: unknown): unknown {
  if (typeof order !== 'object' || order === null || Array.isArray(order)) return order;
  return Object.fromEntries(Object.entries(order).map(([k, v]) => [k.toUpperCase(), v]));
}
