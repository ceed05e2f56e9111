import { phpMap } from '../envelope.js';
import { RestError } from '../errors.js';
import { asRecord } from './params.js';
import type { MethodTable } from './types.js';

/** `app.option.*` (§6): any user reads, only an admin writes; app context only. And `app.info`. */
export const appOptionMethods: MethodTable = {
  'app.option.set': {
    scope: undefined,
    appOnly: true,
    handle(params, ctx) {
      const options = asRecord(params.options);
      if (options === undefined || Object.keys(options).length === 0) {
        throw new RestError(400, 'ArgumentNullException', 'options is empty');
      }
      if (ctx.portal.users.get(ctx.auth.userId)?.ADMIN !== true) {
        throw new RestError(403, 'AccessException', 'Administrator access required');
      }
      const clientId = ctx.auth.clientId ?? '';
      ctx.portal.appOptions.set(clientId, { ...ctx.portal.appOptions.get(clientId), ...options });
      return { result: true };
    },
  },
  'app.option.get': {
    scope: undefined,
    appOnly: true,
    handle(params, ctx) {
      const all = ctx.portal.appOptions.get(ctx.auth.clientId ?? '') ?? {};
      const name = params.option;
      if (name === undefined || name === '') return { result: phpMap({ ...all }) };
      return { result: all[String(name)] ?? null };
    },
  },
  // common/system/app-info.md: outside an app the documented answer is 400 ACCESS_DENIED, not the
  // 403 WRONG_AUTH_TYPE of app-only methods.
  'app.info': {
    scope: undefined,
    handle(_params, ctx) {
      if (ctx.auth.kind !== 'app') {
        throw new RestError(400, 'ACCESS_DENIED', 'Access denied! Application context required');
      }
      const install = ctx.portal.installs.get(ctx.auth.clientId ?? '');
      return {
        result: {
          ID: 1,
          CODE: ctx.auth.clientId,
          VERSION: 1,
          STATUS: 'L',
          INSTALLED: install?.finished ?? false,
          PAYMENT_EXPIRED: 'N',
          DAYS: null,
          LANGUAGE_ID: 'ru',
          LICENSE: ctx.portal.plan === 'enterprise' ? 'ru_ent250' : 'ru_std',
          LICENSE_TYPE: ctx.portal.plan === 'enterprise' ? 'ent250' : 'std',
          LICENSE_FAMILY: ctx.portal.plan === 'enterprise' ? 'ent' : 'std',
        },
      };
    },
  },
};
