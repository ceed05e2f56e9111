import { z } from 'zod';

/** Who a frame's token belongs to, on its portal. */
export interface FrameUser {
  readonly userId: number;
  readonly admin: boolean;
}

/**
 * Asks the portal who holds `accessToken`: `user.current` (its id) and `user.admin` (may they
 * manage the app's settings; api-reference/common/users/user-admin.md), both with the token
 * itself, so the portal, not the page, vouches for the user. Null when the portal refuses the
 * token (401 NO_AUTH_FOUND, expired_token, another portal's token); throws when the portal could
 * not be asked (no answer within `timeoutMs`, a 5xx): the caller answers 503, not 401.
 */
export type CheckFrameUser = (clientEndpoint: string, accessToken: string) => Promise<FrameUser | null>;

const currentAnswer = z.object({ result: z.object({ ID: z.union([z.string(), z.number()]) }) });
const adminAnswer = z.object({ result: z.boolean() });

export function frameUserCheck(options: { timeoutMs?: number; fetch?: typeof fetch } = {}): CheckFrameUser {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const fetchFn = options.fetch ?? fetch;
  return async (clientEndpoint, accessToken) => {
    const call = async (method: string): Promise<unknown | null> => {
      // The stored portal's endpoint, never one from the request: the token is only ever sent
      // to the portal that issued the frame (a forged endpoint would collect it).
      const response = await fetchFn(new URL(method, clientEndpoint), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ auth: accessToken }),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      if (response.status === 401 || response.status === 400 || response.status === 403) {
        await response.body?.cancel();
        return null;
      }
      if (!response.ok) throw new Error(`${method}: the portal answered ${response.status}`);
      return response.json();
    };
    const [current, admin] = await Promise.all([call('user.current'), call('user.admin')]);
    if (current === null || admin === null) return null;
    const who = currentAnswer.safeParse(current);
    const rights = adminAnswer.safeParse(admin);
    if (!who.success || !rights.success) return null;
    const userId = Number(who.data.result.ID);
    return Number.isInteger(userId) && userId > 0 ? { userId, admin: rights.data.result } : null;
  };
}
