import type { SubmitResult } from '../engine/index.js';
import { answerSubmit, invalidLeadResponse } from './intake-answer.js';
import { decodeIntakeBody, intakeMediaType } from './intake-body.js';
import { jsonResponse } from './json-response.js';
import { readBoundedBody } from './read-bounded-body.js';
import { sameSecret } from './same-secret.js';

/** The shortest intake secret taken: a shared secret short enough to guess guards nothing. */
export const MIN_INTAKE_SECRET_LENGTH = 16;

/**
 * Decides whether a presented secret opens the route: for a shop whose secret changes (the
 * Bitrix24 app's portals keep the previous one valid for a grace period after a rotation). It
 * should compare with `sameSecret`; the presented value may be empty (none was sent).
 */
export type IntakeSecretCheck = (presented: string) => boolean | Promise<boolean>;

export interface IntakeHandlerOptions {
  /** Usually `prozvon.submitLead`. */
  readonly submit: (body: unknown) => Promise<SubmitResult>;
  /**
   * Required: a request must carry it as `Authorization: Bearer <secret>` or `X-Prozvon-Secret`,
   * else 401. This route believes every field it is sent (`partnerCode`, `orderSum`, `ip`, …), so
   * only the shop's own server may reach it; a browser form goes to the order-form handler.
   * A function instead decides itself (several valid secrets, one looked up per request); the
   * length rule is then its owner's to keep.
   */
  readonly secret: string | IntakeSecretCheck;
  /**
   * Bodies above this are refused with 413: at once when `Content-Length` says so, else as soon as
   * the bytes read pass it (a chunked body is never read whole first). Default 64 KiB.
   */
  readonly maxBodyBytes?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * The server-to-server intake route of DESIGN.md's public HTTP contract, as a Web
 * `Request → Response` function: the shop's backend (or a CRM's webhook) posts the whole lead as
 * JSON with the secret. 202 accepted and persisted (or, for a retry of the same body and `ref`
 * within 24 hours, the first 202 again), 400 naming every bad field, 409 duplicate `ref`, 401 wrong
 * secret, 404 a tenant the engine does not serve, 413 too large, 415 not JSON (a form is the
 * browser's encoding, and a browser has no business here), 429 over an abuse limit (with
 * `Retry-After`), 503 (with `Retry-After`) a suspended tenant or a store that failed. Malformed
 * input of any kind is a 4xx, never a 5xx.
 */
export function createIntakeHandler(options: IntakeHandlerOptions): (request: Request) => Promise<Response> {
  const { secret } = options;
  if (
    typeof secret !== 'function' &&
    (typeof secret !== 'string' || secret.length < MIN_INTAKE_SECRET_LENGTH)
  ) {
    throw new TypeError(
      `createIntakeHandler: secret must be a string of at least ${MIN_INTAKE_SECRET_LENGTH} characters` +
        ' (a browser form takes the order-form handler, which needs none)',
    );
  }
  const maxBytes = options.maxBodyBytes ?? 64 * 1024;
  return async (request) => {
    if (request.method !== 'POST') {
      return jsonResponse(405, { error: 'method_not_allowed' }, { allow: 'POST' });
    }
    const presented = presentedSecret(request);
    // No secret sent is refused here, so a check function never has to think of it.
    const allowed =
      presented !== '' &&
      (typeof secret === 'function' ? await secret(presented) : sameSecret(presented, secret));
    if (!allowed) return jsonResponse(401, { error: 'unauthorized' });
    if (intakeMediaType(request.headers.get('content-type')) !== 'json') {
      return jsonResponse(415, { error: 'unsupported_media_type' }, { 'accept-post': 'application/json' });
    }
    const read = await readBoundedBody(request, maxBytes);
    if (!read.ok) return jsonResponse(413, { error: 'too_large', maxBytes });
    const decoded = decodeIntakeBody('json', read.bytes);
    if (!decoded.ok) return invalidLeadResponse(decoded.error);
    return answerSubmit(() => options.submit(decoded.body), options.onError);
  };
}

/** The secret a request carries, as `Authorization: Bearer …` or `X-Prozvon-Secret`; '' when none. */
function presentedSecret(request: Request): string {
  const header = request.headers.get('authorization');
  return header?.toLowerCase().startsWith('bearer ') === true
    ? header.slice(7).trim()
    : (request.headers.get('x-prozvon-secret') ?? '');
}
