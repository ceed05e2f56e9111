import { RestError } from '../errors.js';
import { type FieldReader, matches, orderComparator, paginate, parseFilter } from '../list-filter.js';
import type { OfflineEvent } from '../records.js';
import type { CallContext, MethodTable, Params } from './types.js';

function queue(ctx: CallContext): Map<string, OfflineEvent> {
  return ctx.portal.offlineQueues.get(ctx.auth.clientId ?? '') ?? new Map();
}

const isAdmin = (ctx: CallContext) => ctx.portal.users.get(ctx.auth.userId)?.ADMIN === true;

const GET_FIELDS = new Set(['ID', 'TIMESTAMP_X', 'EVENT_NAME', 'MESSAGE_ID']);
const LIST_FIELDS = new Set([...GET_FIELDS, 'PROCESS_ID', 'ERROR']);

/** What `event.offline.list` shows of a record: PROCESS_ID '' when free, ERROR '0' (no error marks here). */
function listed(record: OfflineEvent): Record<string, unknown> {
  return { ...record, PROCESS_ID: record.PROCESS_ID ?? '', ERROR: '0' };
}

const read: FieldReader = (row, field) => row[field];

/** Records matching `filter` on the documented fields (others ignored), sorted by `order`. */
function select(
  records: Iterable<OfflineEvent>,
  params: Params,
  fields: ReadonlySet<string>,
  defaultOrder: string,
  offsetMinutes: number,
): OfflineEvent[] {
  const conditions = parseFilter(params.filter, offsetMinutes)
    .map((c) => ({ ...c, field: c.field.toUpperCase() }))
    .filter((c) => fields.has(c.field));
  const rows = [...records].filter((record) => matches(listed(record), conditions, read));
  const order = upperKeys(params.order, fields) ?? { [defaultOrder]: 'ASC' };
  // Array.sort is stable: ties keep queue order, which is ID order.
  const compare = orderComparator(order, read, 'ID');
  return rows.sort((a, b) => compare(listed(a), listed(b)));
}

function upperKeys(order: unknown, fields: ReadonlySet<string>): Record<string, unknown> | undefined {
  if (typeof order !== 'object' || order === null || Array.isArray(order)) return undefined;
  const entries = Object.entries(order)
    .map(([k, v]) => [k.toUpperCase(), v] as const)
    .filter(([k]) => fields.has(k));
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/**
 * The offline event queue (§3), `api-reference/events/event-offline-*.md`: `event.offline.get`
 * reads up to `limit` (≤ 50) free records matching `filter` (ID, TIMESTAMP_X, EVENT_NAME,
 * MESSAGE_ID) in `order` (TIMESTAMP_X ASC by default) and, with the default `clear=1`, removes
 * them; `clear=0` holds them under a process_id — the caller's `process_id` when given, so one
 * process can take more — until `event.offline.clear` (all of the process's records, or those
 * named by `id`, else by `message_id`). `event.offline.list` reads without changing anything.
 * Admin only.
 */
export const offlineEventMethods: MethodTable = {
  'event.offline.get': {
    scope: undefined,
    appOnly: true,
    handle(params, ctx) {
      if (!isAdmin(ctx)) throw new RestError(403, 'ACCESS_DENIED', 'Access denied');
      const limit = Math.min(50, Math.max(1, Number(params.limit ?? 50) || 50));
      const clear = String(params.clear ?? '1') !== '0';
      const records = queue(ctx);
      const keyOf = new Map<OfflineEvent, string>();
      for (const [key, record] of records) if (record.PROCESS_ID === undefined) keyOf.set(record, key);
      const picked = select(keyOf.keys(), params, GET_FIELDS, 'TIMESTAMP_X', ctx.portal.offsetMinutes).slice(
        0,
        limit,
      );
      if (clear) {
        for (const record of picked) records.delete(keyOf.get(record) ?? '');
        return { result: { process_id: null, events: picked } };
      }
      const given = params.process_id;
      const processId = typeof given === 'string' && given !== '' ? given : String(ctx.portal.nextId());
      for (const record of picked) record.PROCESS_ID = processId;
      return {
        result: { process_id: processId, events: picked.map(({ PROCESS_ID: _p, ...record }) => record) },
      };
    },
  },
  'event.offline.list': {
    scope: undefined,
    appOnly: true,
    handle(params, ctx) {
      if (!isAdmin(ctx)) throw new RestError(403, 'ACCESS_DENIED', 'Access denied');
      const rows = select(queue(ctx).values(), params, LIST_FIELDS, 'ID', ctx.portal.offsetMinutes).map(
        listed,
      );
      const { page, total, next } = paginate(rows, params.start);
      return { result: page, total, next };
    },
  },
  'event.offline.clear': {
    scope: undefined,
    appOnly: true,
    handle(params, ctx) {
      if (!isAdmin(ctx)) throw new RestError(403, 'ACCESS_DENIED', 'Access denied');
      const processId = String(params.process_id ?? '');
      if (processId === '') throw new RestError(400, 'ERROR_ARGUMENT', 'process_id is required');
      // `message_id` is ignored when `id` is given (event-offline-clear.md).
      const byId = params.id === undefined ? undefined : new Set([params.id].flat().map(String));
      const byMessage =
        byId !== undefined || params.message_id === undefined
          ? undefined
          : new Set([params.message_id].flat().map(String));
      const records = queue(ctx);
      for (const [key, record] of records) {
        if (record.PROCESS_ID !== processId) continue;
        if (byId !== undefined && !byId.has(record.ID)) continue;
        if (byMessage !== undefined && !byMessage.has(record.MESSAGE_ID)) continue;
        records.delete(key);
      }
      return { result: true };
    },
  },
};
