import { RestError } from '../errors.js';
import type { CallContext, MethodTable } from './types.js';

/** Events the simulator can raise or that apps commonly bind; others get ERROR_EVENT_NOT_FOUND. */
export const KNOWN_EVENTS = new Set([
  'ONCRMLEADADD',
  'ONCRMLEADUPDATE',
  'ONCRMLEADDELETE',
  'ONCRMCOMPANYADD',
  'ONCRMCONTACTADD',
  'ONAPPUNINSTALL',
  'ONAPPUPDATE',
  'ONOFFLINEEVENT',
  // Telephony (api-reference/telephony/events/): raised by sim.requestCallback / sim.clickToCall.
  'ONEXTERNALCALLSTART',
  'ONEXTERNALCALLBACKSTART',
]);

function clientId(ctx: CallContext): string {
  return ctx.auth.clientId ?? '';
}

const isAdmin = (ctx: CallContext) => ctx.portal.users.get(ctx.auth.userId)?.ADMIN === true;

/** `event.bind/get/unbind` (§3): app context only; bindings belong to the calling app. */
export const eventMethods: MethodTable = {
  'event.bind': {
    scope: undefined,
    appOnly: true,
    handle(params, ctx) {
      const event = String(params.event ?? params.EVENT ?? '').toUpperCase();
      const handler = String(params.handler ?? params.HANDLER ?? '');
      if (!KNOWN_EVENTS.has(event)) throw new RestError(400, 'ERROR_EVENT_NOT_FOUND', 'Event not found');
      const offline = String(params.event_type ?? 'online').toLowerCase() === 'offline';
      // An offline binding has no handler: the app polls event.offline.get.
      if (handler === '' && !offline) throw new RestError(400, 'ERROR_ARGUMENT', 'Handler is not set');
      const authType = Number(params.auth_type ?? 0) || 0;
      if ((offline || (authType !== 0 && authType !== ctx.auth.userId)) && !isAdmin(ctx)) {
        throw new RestError(403, 'ACCESS_DENIED', 'Access denied');
      }
      const id = clientId(ctx);
      if (
        ctx.portal.eventHandlers.some(
          (h) => h.clientId === id && h.event === event && h.handler === handler && h.offline === offline,
        )
      ) {
        // Code from third-party code only (§3); the description is the portal's.
        throw new RestError(400, 'ERROR_CORE', 'Handler already binded');
      }
      const connector = params.auth_connector;
      const minTimeout =
        Number((params.options as { minTimeout?: unknown } | undefined)?.minTimeout ?? 0) || 0;
      ctx.portal.eventHandlers.push({
        id: ctx.portal.nextId(),
        clientId: id,
        event,
        handler,
        authType,
        offline,
        ...(offline && typeof connector === 'string' ? { authConnector: connector } : {}),
        ...(minTimeout > 0 ? { minTimeout } : {}),
      });
      return { result: true };
    },
  },
  'event.get': {
    scope: undefined,
    appOnly: true,
    handle(_params, ctx) {
      const id = clientId(ctx);
      const result = ctx.portal.eventHandlers
        .filter((h) => h.clientId === id)
        .map((h) => ({
          event: h.event,
          handler: h.handler,
          auth_type: String(h.authType),
          offline: h.offline ? 1 : 0,
        }));
      return { result };
    },
  },
  'event.unbind': {
    scope: undefined,
    appOnly: true,
    handle(params, ctx) {
      const id = clientId(ctx);
      const event = String(params.event ?? params.EVENT ?? '').toUpperCase();
      const handler = params.handler ?? params.HANDLER;
      const offline = String(params.event_type ?? 'online').toLowerCase() === 'offline';
      const before = ctx.portal.eventHandlers.length;
      const kept = ctx.portal.eventHandlers.filter(
        (h) =>
          !(
            h.clientId === id &&
            h.event === event &&
            h.offline === offline &&
            (offline || handler === undefined || h.handler === String(handler))
          ),
      );
      ctx.portal.eventHandlers.splice(0, before, ...kept);
      return { result: { count: before - kept.length } };
    },
  },
};
