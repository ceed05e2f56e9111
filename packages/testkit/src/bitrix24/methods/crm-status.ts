import { statusRow } from '../crm/statuses.js';
import { matches, orderComparator, parseFilter } from '../list-filter.js';
import { coreError, requireFields } from './params.js';
import type { MethodTable } from './types.js';

const read = (row: Record<string, unknown>, field: string) => row[field.toUpperCase()];

/** CRM directories: lead stages, sources, company types (BITRIX24.md §4.3). */
export const statusMethods: MethodTable = {
  'crm.status.list': {
    scope: 'crm',
    handle(params, ctx) {
      const conditions = parseFilter(params.filter);
      const all = ctx.portal.statuses as unknown as Record<string, unknown>[];
      const rows = all.filter((row) => matches(row, conditions, read));
      const order = params.order ?? { SORT: 'ASC' };
      rows.sort(orderComparator(order, read, 'ID'));
      return { result: rows.map((row) => ({ ...row })), total: rows.length };
    },
  },
  'crm.status.add': {
    scope: 'crm',
    handle(params, ctx) {
      const fields = requireFields(params);
      const entityId = String(fields.ENTITY_ID ?? '');
      const statusId = String(fields.STATUS_ID ?? '');
      if (entityId === '' || statusId === '' || !/^[A-Za-z0-9_-]{1,21}$/.test(statusId)) {
        throw coreError('The field STATUS_ID is invalid.');
      }
      if (ctx.portal.statuses.some((s) => s.ENTITY_ID === entityId && s.STATUS_ID === statusId)) {
        throw coreError('The specified status ID already exists.');
      }
      const semantics = fields.SEMANTICS === 'S' || fields.SEMANTICS === 'F' ? fields.SEMANTICS : null;
      const id = ctx.portal.statuses.reduce((max, s) => Math.max(max, Number(s.ID)), 0) + 1;
      const name = String(fields.NAME ?? statusId);
      ctx.portal.statuses.push(
        statusRow(id, entityId, statusId, name, Number(fields.SORT ?? 10), semantics, false),
      );
      return { result: id };
    },
  },
};
