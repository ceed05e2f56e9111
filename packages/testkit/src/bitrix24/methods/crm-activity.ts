import { isoWithOffset, parseDate } from '../dates.js';
import { RestError } from '../errors.js';
import { ownerExists } from './crm-owner.js';
import type { MethodTable } from './types.js';

/**
 * `crm.timeline.logmessage.add` and `crm.activity.todo.add` (§4.6): REST v2 controllers with
 * camelCase params and object results. Error codes for a missing owner are unverified.
 */
export const activityMethods: MethodTable = {
  'crm.timeline.logmessage.add': {
    scope: 'crm',
    handle(params, ctx) {
      const fields = (params.fields ?? {}) as Record<string, unknown>;
      const entityTypeId = Number(fields.entityTypeId);
      const entityId = Number(fields.entityId);
      if (!ownerExists(ctx.portal, entityTypeId, entityId)) {
        throw new RestError(400, 'NOT_FOUND', 'Element not found');
      }
      const title = String(fields.title ?? '');
      const text = String(fields.text ?? '');
      if (title === '' || text === '')
        throw new RestError(400, 'INVALID_ARG_VALUE', 'Title and text are required');
      const logMessage = {
        id: ctx.portal.nextId(),
        entityTypeId,
        entityId,
        title,
        text,
        iconCode: String(fields.iconCode ?? 'info'),
        authorId: ctx.auth.userId,
        created: isoWithOffset(ctx.now, ctx.portal.offsetMinutes),
      };
      ctx.portal.logMessages.push(logMessage);
      const { entityTypeId: _t, entityId: _e, ...shown } = logMessage;
      return { result: { logMessage: shown } };
    },
  },
  'crm.activity.todo.add': {
    scope: 'crm',
    handle(params, ctx) {
      const ownerTypeId = Number(params.ownerTypeId);
      const ownerId = Number(params.ownerId);
      if (!ownerExists(ctx.portal, ownerTypeId, ownerId)) {
        throw new RestError(400, 'NOT_FOUND', 'Element not found');
      }
      const deadline = parseDate(params.deadline);
      if (deadline === undefined) throw new RestError(400, 'INVALID_ARG_VALUE', 'Invalid value for deadline');
      const id = ctx.portal.nextId();
      ctx.portal.todos.push({
        id,
        ownerTypeId,
        ownerId,
        deadline: isoWithOffset(deadline, ctx.portal.offsetMinutes),
        title: String(params.title ?? ''),
        description: String(params.description ?? ''),
        responsibleId: Number(params.responsibleId ?? ctx.auth.userId),
        created: isoWithOffset(ctx.now, ctx.portal.offsetMinutes),
      });
      return { result: { id } };
    },
  },
};
