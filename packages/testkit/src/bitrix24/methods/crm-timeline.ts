import { isoWithOffset } from '../dates.js';
import { RestError } from '../errors.js';
import type { Portal } from '../portal.js';
import { asRecord } from './params.js';
import type { MethodTable } from './types.js';

const OWNERS: Record<string, (portal: Portal) => { has(id: number): boolean } | undefined> = {
  lead: (portal) => portal.leads,
  contact: (portal) => portal.contacts,
  company: (portal) => portal.companies,
};

/**
 * `crm.timeline.comment.add` (BITRIX24.md §4.6): the key must be lower-case `fields`; works with
 * webhooks, so it is how the webhook mode logs calls. Codes per the docs; texts unverified.
 */
export const timelineMethods: MethodTable = {
  'crm.timeline.comment.add': {
    scope: 'crm',
    handle(params, ctx) {
      const fields = asRecord(params.fields);
      if (fields === undefined)
        throw new RestError(400, '100', 'Could not find value for parameter {fields}');
      const entityType = String(fields.ENTITY_TYPE ?? '').toLowerCase();
      const entityId = Number(fields.ENTITY_ID);
      const owner = OWNERS[entityType]?.(ctx.portal);
      if (owner === undefined || !Number.isInteger(entityId) || !owner.has(entityId)) {
        throw new RestError(400, 'OWNER_NOT_FOUND', 'Owner element is not found');
      }
      const comment = String(fields.COMMENT ?? '').trim();
      if (comment === '') throw new RestError(400, 'INVALID_ARG_VALUE', 'Empty comment message');
      const id = ctx.portal.nextId();
      ctx.portal.comments.push({
        id,
        entityType,
        entityId,
        comment,
        authorId: ctx.auth.userId,
        created: isoWithOffset(ctx.now, ctx.portal.offsetMinutes),
        files: Array.isArray(fields.FILES) ? fields.FILES : [],
      });
      return { result: id };
    },
  },
};
