import { timingSafeEqual } from 'node:crypto';
import {
  DuplicateLeadError,
  LeadDecisionError,
  RateLimitedLeadError,
  type SubmitResult,
} from '../engine/index.js';
import { InvalidLeadError, invalidLeadBody } from '../lead/index.js';
import { decodeIntakeBody, INTAKE_MEDIA_TYPES, intakeMediaType } from './intake-body.js';
import { jsonResponse } from './json-response.js';
import { readBoundedBody } from './read-bounded-body.js';
import { tenantErrorResponse } from './tenant-error-response.js';

export interface IntakeHandlerOptions {
  /** Usually `prozvon.submitLead`. */
  readonly submit: (body: unknown) => Promise<SubmitResult>;
  /**
   * When set, a request must carry it as `Authorization: Bearer <secret>` or `X-Prozvon-Secret`
   * (the app's per-portal intake URL); otherwise 401.
   */
  readonly secret?: string;
  /** Adds what the server knows and the browser does not (IP, city) before validation. */
  readonly enrich?: (
    body: Record<string, unknown>,
    request: Request,
  ) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /**
   * Bodies above this are refused with 413: at once when `Content-Length` says so, else as soon as
   * the bytes read pass it (a chunked body is never read whole first). Default 64 KiB.
   */
  readonly maxBodyBytes?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * The intake route of DESIGN.md's public HTTP contract, as a Web `Request → Response` function any
 * framework can mount: 202 accepted and persisted (or, for a retry of the same body and `ref`
 * within 24 hours, the first 202 again), 400 naming every bad field, 409 duplicate `ref`, 401
 * wrong secret, 404 a tenant the engine does not serve, 413 too large, 415 neither JSON nor a
 * form, 429 over an abuse limit (with `Retry-After`), 503 (with `Retry-After`) a suspended tenant
 * or a store that failed. Malformed input of any kind is a 4xx, never a 5xx.
 */
export function createIntakeHandler(options: IntakeHandlerOptions): (request: Request) => Promise<Response> {
  const maxBytes = options.maxBodyBytes ?? 64 * 1024;
  return async (request) => {
    if (request.method !== 'POST') {
      return jsonResponse(405, { error: 'method_not_allowed' }, { allow: 'POST' });
    }
    if (options.secret !== undefined && !hasSecret(request, options.secret)) {
      return jsonResponse(401, { error: 'unauthorized' });
    }
    const encoding = intakeMediaType(request.headers.get('content-type'));
    if (encoding === null) {
      return jsonResponse(415, { error: 'unsupported_media_type' }, { 'accept-post': INTAKE_MEDIA_TYPES });
    }
    const read = await readBoundedBody(request, maxBytes);
    if (!read.ok) return jsonResponse(413, { error: 'too_large', maxBytes });
    const decoded = decodeIntakeBody(encoding, read.bytes);
    if (!decoded.ok) return invalid(decoded.error);
    let body = decoded.body;
    try {
      if (options.enrich && typeof body === 'object' && body !== null && !Array.isArray(body)) {
        body = await options.enrich(body as Record<string, unknown>, request);
      }
      const { leadId, state } = await options.submit(body);
      return jsonResponse(202, { leadId, state });
    } catch (error) {
      if (error instanceof InvalidLeadError) return invalid(error);
      if (error instanceof DuplicateLeadError)
        return jsonResponse(409, { error: 'duplicate', leadId: error.leadId });
      const forTenant = tenantErrorResponse(error);
      if (forTenant !== null) return forTenant;
      // Which limit stays ours: a prober learns only when to try again.
      if (error instanceof RateLimitedLeadError)
        return jsonResponse(
          429,
          { error: 'too_many_requests' },
          { 'retry-after': String(error.retryAfterSec) },
        );
      // The machine threw on this lead (the engine logged why): sending it again meets the same
      // error, so no Retry-After; other leads are decided as before.
      if (error instanceof LeadDecisionError) return jsonResponse(500, { error: 'lead_failed' });
      // Stopping, or the store failed: nothing was accepted, and the shop's form may retry.
      options.onError?.(error);
      return jsonResponse(503, { error: 'unavailable' }, { 'retry-after': '5' });
    }
  };
}

function invalid(error: InvalidLeadError): Response {
  return jsonResponse(400, invalidLeadBody(error));
}

function hasSecret(request: Request, secret: string): boolean {
  const header = request.headers.get('authorization');
  const given =
    header?.toLowerCase().startsWith('bearer ') === true
      ? header.slice(7).trim()
      : (request.headers.get('x-prozvon-secret') ?? '');
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}
