import { RestError } from '../errors.js';
import { placementScope } from '../placement-codes.js';
import type { CallContext, MethodTable } from './types.js';

/** placement.bind answers its argument errors with HTTP 200 (§6); the SDK sees isSuccess false. */
const argumentError = (argument: string) =>
  new RestError(200, 'ERROR_ARGUMENT', `Argument '${argument}' is null or empty`, { argument });

const isAdmin = (ctx: CallContext) => ctx.portal.users.get(ctx.auth.userId)?.ADMIN === true;

/**
 * `placement.bind/get/unbind` (§6): app context, scope `placement`. `placement-bind.md`: "Who can
 * execute the method: administrator"; an unknown code or one of a scope the app lacks answers
 * ERROR_PLACEMENT_NOT_FOUND with HTTP 200.
 */
export const placementMethods: MethodTable = {
  'placement.bind': {
    scope: 'placement',
    appOnly: true,
    handle(params, ctx) {
      const placement = String(params.PLACEMENT ?? '').toUpperCase();
      const handler = String(params.HANDLER ?? '');
      if (placement === '') throw argumentError('PLACEMENT');
      if (handler === '') throw argumentError('HANDLER');
      if (!isAdmin(ctx)) throw new RestError(403, 'ACCESS_DENIED', 'Access denied');
      const needs = placementScope(placement);
      if (
        needs === null ||
        (needs !== undefined && ctx.auth.scopes !== undefined && !ctx.auth.scopes.has(needs))
      ) {
        throw new RestError(200, 'ERROR_PLACEMENT_NOT_FOUND', 'Placement not found');
      }
      const clientId = ctx.auth.clientId ?? '';
      if (
        ctx.portal.placements.some(
          (p) => p.clientId === clientId && p.placement === placement && p.handler === handler,
        )
      ) {
        throw new RestError(200, 'ERROR_CORE', 'Handler already binded');
      }
      ctx.portal.placements.push({
        clientId,
        placement,
        handler,
        title: String(params.TITLE ?? ''),
        description: String(params.DESCRIPTION ?? ''),
        groupName: String(params.GROUP_NAME ?? ''),
        userId: Number(params.USER_ID ?? 0) || 0,
        options: params.OPTIONS ?? [],
        langAll: params.LANG_ALL ?? [],
      });
      return { result: true };
    },
  },
  'placement.get': {
    scope: 'placement',
    appOnly: true,
    handle(_params, ctx) {
      const result = ctx.portal.placements
        .filter((p) => p.clientId === ctx.auth.clientId)
        .map((p) => ({
          placement: p.placement,
          userId: p.userId,
          handler: p.handler,
          options: p.options,
          title: p.title,
          description: p.description,
          langAll: p.langAll,
        }));
      return { result };
    },
  },
  'placement.unbind': {
    scope: 'placement',
    appOnly: true,
    handle(params, ctx) {
      const placement = String(params.PLACEMENT ?? '').toUpperCase();
      if (placement === '') throw argumentError('PLACEMENT');
      const handler = params.HANDLER;
      const list = ctx.portal.placements;
      const before = list.length;
      for (let i = list.length - 1; i >= 0; i--) {
        const p = list[i];
        if (
          p &&
          p.clientId === ctx.auth.clientId &&
          p.placement === placement &&
          (handler === undefined || p.handler === handler)
        ) {
          list.splice(i, 1);
        }
      }
      return { result: { count: before - list.length } };
    },
  },
};
