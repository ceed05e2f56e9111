import { legacyError } from '../errors.js';
import { listEntities } from './crm-list.js';
import { requireFields, requireId } from './params.js';
import type { CallContext, MethodTable, Params } from './types.js';

/** Who made the change, and the auth_connector that keeps it out of that app's offline queue. */
function cause(params: Params, ctx: CallContext) {
  const connector = params.auth_connector;
  return { userId: ctx.auth.userId, authConnector: typeof connector === 'string' ? connector : undefined };
}

/** `crm.lead.*` (BITRIX24.md §4.1). Errors are the legacy empty-code 400s. */
export const leadMethods: MethodTable = {
  'crm.lead.add': {
    scope: 'crm',
    handle(params, ctx) {
      const fields = requireFields(params);
      const id = ctx.portal.leads.add(fields, ctx.portal.writeContext(ctx.auth.userId, ctx.now));
      ctx.sim.emit(ctx.portal, 'ONCRMLEADADD', { FIELDS: { ID: String(id) } }, cause(params, ctx));
      return { result: id };
    },
  },
  'crm.lead.update': {
    scope: 'crm',
    handle(params, ctx) {
      const id = requireId(params);
      const fields = requireFields(params);
      if (!ctx.portal.leads.update(id, fields, ctx.portal.writeContext(ctx.auth.userId, ctx.now))) {
        throw legacyError('Not found');
      }
      ctx.sim.emit(ctx.portal, 'ONCRMLEADUPDATE', { FIELDS: { ID: String(id) } }, cause(params, ctx));
      return { result: true };
    },
  },
  'crm.lead.get': {
    scope: 'crm',
    handle(params, ctx) {
      const lead = ctx.portal.leads.get(requireId(params));
      if (lead === undefined) throw legacyError('Not found');
      return { result: lead };
    },
  },
  'crm.lead.list': {
    scope: 'crm',
    handle: (params, ctx) => listEntities(ctx.portal.leads, params, ctx.portal.offsetMinutes),
  },
  'crm.lead.delete': {
    scope: 'crm',
    handle(params, ctx) {
      const id = requireId(params);
      if (!ctx.portal.leads.delete(id)) throw legacyError('Not found');
      ctx.sim.emit(ctx.portal, 'ONCRMLEADDELETE', { FIELDS: { ID: String(id) } }, cause(params, ctx));
      return { result: true };
    },
  },
  'crm.lead.fields': {
    scope: 'crm',
    handle: (_params, ctx) => ({ result: ctx.portal.leads.describe() }),
  },
};
