import { RestError } from '../errors.js';
import type { OfflineEvent } from '../records.js';
import type { CallContext, MethodTable } from './types.js';

function queue(ctx: CallContext): Map<string, OfflineEvent> {
  return ctx.portal.offlineQueues.get(ctx.auth.clientId ?? '') ?? new Map();
}

const isAdmin = (ctx: CallContext) => ctx.portal.users.get(ctx.auth.userId)?.ADMIN === true;

/**
 * The offline event queue (§3): `event.offline.get` reads up to `limit` (≤ 50) records and, with
 * the default `clear=1`, removes them; `clear=0` holds them under a process_id until
 * `event.offline.clear`. Admin only. `filter`/`order` are not implemented (records come oldest first).
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
      const picked: [string, OfflineEvent][] = [];
      for (const entry of records) {
        if (picked.length >= limit) break;
        if (entry[1].PROCESS_ID === undefined) picked.push(entry);
      }
      if (clear) {
        for (const [key] of picked) records.delete(key);
        return { result: { process_id: null, events: picked.map(([, record]) => record) } };
      }
      const processId = String(ctx.portal.nextId());
      for (const [, record] of picked) record.PROCESS_ID = processId;
      return {
        result: { process_id: processId, events: picked.map(([, { PROCESS_ID: _p, ...record }]) => record) },
      };
    },
  },
  'event.offline.clear': {
    scope: undefined,
    appOnly: true,
    handle(params, ctx) {
      if (!isAdmin(ctx)) throw new RestError(403, 'ACCESS_DENIED', 'Access denied');
      const processId = String(params.process_id ?? '');
      if (processId === '') throw new RestError(400, 'ERROR_ARGUMENT', 'process_id is required');
      const ids = params.id === undefined ? undefined : new Set([params.id].flat().map(String));
      const records = queue(ctx);
      for (const [key, record] of records) {
        if (record.PROCESS_ID === processId && (ids === undefined || ids.has(record.ID))) records.delete(key);
      }
      return { result: true };
    },
  },
};
