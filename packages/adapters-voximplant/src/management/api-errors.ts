import { AuthError, PermanentError, type PortError, RateLimitedError, TransientError } from '@prozvon/sdk';
import { soundsLikeAccountRefusal } from '../refusal.js';

/**
 * Management API error codes (voximplant.com/docs/references/httpapi/errors: 1–23 are platform
 * faults — fatal, internal, DB, "5 Billing failed", media servers, phone provider —, 100–114 are
 * about the request — authorization, invalid arguments, unknown or forbidden command, date format).
 * That list has no code for "insufficient funds", "rule not found" or a frozen account, so those
 * are recognised by their message (see `soundsLikeAccountRefusal`) and, for a rule, by 101 invalid
 * arguments. Any other code is taken as a provider error, transient (for StartScenarios that means
 * ambiguous: the engine never re-sends a paid dial on it, it waits for the result or reconciles).
 */
const AUTH_CODES = new Set([100]);
/** Our request is wrong (invalid argument, missing or unknown command, forbidden, output format,
 * date format): retrying the same request cannot help; the lead goes to manual and someone looks.
 * From 107 on, the provisioning methods' own "invalid X" and "not unique" codes
 * (`APIErrorCode` in `@voximplant/apiclient-nodejs`): 107 application name, 108 too many
 * applications, 116 application_id, 129 application name taken, 130 script too long, 132
 * scenario_id, 133 scenario name taken, 147 rule_id, 148/149 rule patterns, 156 rule_name,
 * 168 scenario_name, 175 rule name taken. */
const REQUEST_CODES = new Set([
  101, 102, 103, 104, 105, 111, 107, 108, 116, 129, 130, 132, 133, 147, 148, 149, 156, 168, 175,
]);
/** What Voximplant says when more than 200 requests are in flight (as HTTP status or error code). */
const TOO_MANY_REQUESTS = 429;
/** Voximplant gives no Retry-After for its concurrency cap; in-flight requests drain in about this. */
export const DEFAULT_RETRY_AFTER_MS = 1_000;

export interface ApiErrorBody {
  readonly code: number;
  readonly msg: string;
}

/** The PortError for an `{"error": {code, msg}}` body, whatever HTTP status carried it. */
export function errorForApiCode(method: string, error: ApiErrorBody): PortError {
  const message = `Voximplant ${method} refused: ${error.code} ${error.msg}`;
  if (AUTH_CODES.has(error.code)) return new AuthError(message);
  if (REQUEST_CODES.has(error.code)) return new PermanentError(message);
  if (error.code === TOO_MANY_REQUESTS) return new RateLimitedError(message, DEFAULT_RETRY_AFTER_MS);
  // An account that cannot pay or is blocked refuses every call until a person acts: as a
  // transient error each lead would wait, reconcile, find no call and dial again, and the shop
  // would learn of its balance from the retries running out. Permanent sends the lead to the
  // sellers at once with this message ('dial_refused'). "Billing failed" (5) alone stays
  // transient: the docs list it among the platform's own faults, not the account's.
  if (soundsLikeAccountRefusal(error.msg)) return new PermanentError(message);
  return new TransientError(message);
}

/** The PortError for a non-2xx answer that had no error body we could read. */
export function errorForStatus(method: string, status: number, retryAfter: string | null): PortError {
  const message = `Voximplant ${method} answered HTTP ${status}`;
  if (status === TOO_MANY_REQUESTS) return new RateLimitedError(message, retryAfterMs(retryAfter));
  if (status === 401 || status === 403) return new AuthError(message);
  if (status >= 500) return new TransientError(message);
  return new PermanentError(message);
}

function retryAfterMs(header: string | null): number {
  const seconds = header === null ? Number.NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : DEFAULT_RETRY_AFTER_MS;
}
