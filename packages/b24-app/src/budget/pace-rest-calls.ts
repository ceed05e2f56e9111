import { setTimeout as sleep } from 'node:timers/promises';
import { ApiVersion, type B24OAuth } from '@bitrix24/b24jssdk';
import type { RequestBudget } from './request-budget.js';

/**
 * Holds each HTTP request of a portal's b24jssdk client until the portal's shared budget lets it
 * go, through the client's axios instances (`ajaxClient`, v2 and v3: both reach the portal). Every
 * attempt takes from the budget, a re-send of the SDK's own included: the portal counts each.
 * b24jssdk's limiter stays as it is in front of this, and still handles the portal's answers.
 *
 * axios runs request interceptors last added first: added after the REST log's
 * (record-rest-calls.ts), the wait comes before the log notes when the request left.
 *
 * A budget that fails (the database unreachable) is reported and the request goes unheld, paced by
 * the client's own limiter alone: the budget must never stop a REST call.
 */
export function paceRestCalls(
  client: B24OAuth,
  memberId: string,
  budget: RequestBudget,
  onError: (error: unknown) => void,
): void {
  for (const version of [ApiVersion.v2, ApiVersion.v3]) {
    client.getHttpClient(version).ajaxClient.interceptors.request.use(async (config) => {
      let waitMs = 0;
      try {
        waitMs = await budget.take(memberId);
      } catch (error) {
        onError(error);
      }
      if (waitMs > 0) await sleep(waitMs);
      return config;
    });
  }
}
