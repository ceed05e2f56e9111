import { isoWithOffset } from '../dates.js';
import { systemErrors } from '../errors.js';
import type { MethodTable } from './types.js';

/** The acting user (BITRIX24.md §6) and `server.time`, which the SDK's ping uses. */
export const userMethods: MethodTable = {
  'user.current': {
    scope: 'user',
    handle(_params, ctx) {
      const user = ctx.portal.users.get(ctx.auth.userId);
      if (user === undefined) throw systemErrors.noAuth();
      const { ADMIN: _admin, ...rest } = user;
      return { result: rest };
    },
  },
  profile: {
    scope: undefined,
    handle(_params, ctx) {
      const user = ctx.portal.users.get(ctx.auth.userId);
      if (user === undefined) throw systemErrors.noAuth();
      return {
        result: {
          ID: user.ID,
          ADMIN: user.ADMIN,
          NAME: user.NAME,
          LAST_NAME: user.LAST_NAME,
          PERSONAL_GENDER: '',
          TIME_ZONE: user.TIME_ZONE,
          TIME_ZONE_OFFSET: ctx.portal.offsetMinutes * 60,
        },
      };
    },
  },
  'server.time': {
    scope: undefined,
    handle: (_params, ctx) => ({ result: isoWithOffset(ctx.now, ctx.portal.offsetMinutes) }),
  },
};
