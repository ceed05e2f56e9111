import { RestError } from '../errors.js';
import { matches, orderComparator, paginate, parseFilter } from '../list-filter.js';
import type { Portal } from '../portal.js';
import { param, requireId, stringList } from './params.js';
import type { MethodTable, Params } from './types.js';

const read = (row: Record<string, unknown>, field: string) => row[field];

function store(portal: Portal, params: Params) {
  const raw = param(params, 'entityTypeId', 'ENTITY_TYPE_ID');
  const typeId = Number(raw);
  const found = Number.isInteger(typeId) ? portal.smartProcesses.get(typeId) : undefined;
  // Unverified wording; the code is the one REST v2 controllers use for a missing entity.
  if (found === undefined) throw new RestError(400, 'NOT_FOUND', 'Smart process not found');
  return found;
}

function project(item: Record<string, unknown>, select: readonly string[]): Record<string, unknown> {
  if (select.length === 0 || select.includes('*')) return { ...item };
  const out: Record<string, unknown> = { id: item.id };
  for (const field of select) if (field in item) out[field] = item[field];
  return out;
}

/**
 * `crm.item.*` for smart processes (partners may live in one, BITRIX24.md §4.4): camelCase fields,
 * numbers as numbers, the list under `result.items`. Seed types and items with `portal.seedItem`.
 */
export const itemMethods: MethodTable = {
  'crm.item.list': {
    scope: 'crm',
    handle(params, ctx) {
      const items = store(ctx.portal, params);
      const conditions = parseFilter(params.filter, ctx.portal.offsetMinutes);
      const rows = [...items.items()].filter((item) => matches(item, conditions, read));
      rows.sort(orderComparator(params.order, read, 'id'));
      const { page, total, next } = paginate(rows, params.start);
      const select = stringList(params.select);
      return { result: { items: page.map((item) => project(item, select)) }, total, next };
    },
  },
  'crm.item.get': {
    scope: 'crm',
    handle(params, ctx) {
      const item = store(ctx.portal, params).get(requireId(params));
      if (item === undefined) throw new RestError(400, 'NOT_FOUND', 'Element not found');
      return { result: { item } };
    },
  },
};
