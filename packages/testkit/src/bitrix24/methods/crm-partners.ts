import type { EntityStore } from '../crm/entity-store.js';
import { legacyError } from '../errors.js';
import type { Portal } from '../portal.js';
import { listEntities } from './crm-list.js';
import { requireId } from './params.js';
import type { MethodTable } from './types.js';

/** Companies and contacts, where partners live (BITRIX24.md §4.4): read methods only. */
function readMethods(entity: string, store: (portal: Portal) => EntityStore): MethodTable {
  return {
    [`crm.${entity}.list`]: {
      scope: 'crm',
      handle: (params, ctx) => listEntities(store(ctx.portal), params, ctx.portal.offsetMinutes),
    },
    [`crm.${entity}.get`]: {
      scope: 'crm',
      handle(params, ctx) {
        const row = store(ctx.portal).get(requireId(params));
        if (row === undefined) throw legacyError('Not found');
        return { result: row };
      },
    },
    [`crm.${entity}.fields`]: {
      scope: 'crm',
      handle: (_params, ctx) => ({ result: store(ctx.portal).describe() }),
    },
  };
}

export const partnerMethods: MethodTable = {
  ...readMethods('company', (portal) => portal.companies),
  ...readMethods('contact', (portal) => portal.contacts),
};
