import { isoWithOffset } from '../dates.js';
import { systemErrors } from '../errors.js';
import type { MethodTable } from './types.js';

/** The acting user (BITRIX24.md §6), whether they are an admin, and `server.time` (the SDK's ping). */
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
  // api-reference/common/users/user-admin.md (bitrix24/b24restdocs): scope `basic`, any user, no
  // parameters; `result` is whether the acting user may manage the apps' settings.
  'user.admin': {
    scope: undefined,
    handle(_params, ctx) {
      const user = ctx.portal.users.get(ctx.auth.userId);
      if (user === undefined) throw systemErrors.noAuth();
      return { result: user.ADMIN };
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
