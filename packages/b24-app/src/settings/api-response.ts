import { intakeMediaType, jsonResponse, readBoundedBody } from '@prozvon/sdk';
import type { z } from 'zod';
import { settingsIssues } from './settings-input.js';

/**
 * The settings API's answers: JSON, never cached, an error as `{ error: <code> }` with what the
 * page needs to show it. One place, so every route refuses the same way.
 */
export type ApiErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'invalid_settings'
  | 'invalid_request'
  | 'bad_body'
  | 'unavailable'
  | 'voximplant_failed'
  | 'precondition_required'
  | 'settings_changed'
  | 'provider_failed'
  | 'too_many_tests';

export function apiError(status: number, error: ApiErrorCode, extra: Record<string, unknown> = {}): Response {
  const headers: Record<string, string> =
    status === 401 ? { 'www-authenticate': 'Bearer realm="prozvon-portal"' } : {};
  return jsonResponse(status, { error, ...extra }, headers);
}

export function apiOk(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return jsonResponse(status, body, headers);
}

/** Settings bodies are small: a page's form, a PEM key. */
const MAX_BODY_BYTES = 64 * 1024;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The request's JSON body, or the 400/413/415 to answer instead. Read with the SDK's bounded
 * reader (a chunked body is cut as soon as it passes the limit, not held whole first), as UTF-8
 * only, and only under `application/json`; an empty body (an action without one) is `{}`.
 */
async function readJson(
  request: Request,
): Promise<{ ok: true; body: unknown } | { ok: false; response: Response }> {
  const read = await readBoundedBody(request, MAX_BODY_BYTES);
  if (!read.ok) return { ok: false, response: apiError(413, 'bad_body') };
  if (read.bytes.byteLength === 0) return { ok: true, body: {} };
  if (intakeMediaType(request.headers.get('content-type')) !== 'json') {
    return { ok: false, response: apiError(415, 'bad_body', { message: 'expected application/json' }) };
  }
  try {
    return { ok: true, body: JSON.parse(strictUtf8.decode(read.bytes)) as unknown };
  } catch {
    return { ok: false, response: apiError(400, 'bad_body', { message: 'expected a JSON body in UTF-8' }) };
  }
}

/**
 * The request's JSON body validated by `schema`, or the answer to give instead: the body's
 * 400/413/415, or 400 `invalid_settings` with one issue per field (nothing is written then).
 */
export async function readValid<T extends z.ZodType>(
  request: Request,
  schema: T,
): Promise<{ ok: true; data: z.output<T> } | { ok: false; response: Response }> {
  const read = await readJson(request);
  if (!read.ok) return read;
  const parsed = schema.safeParse(read.body);
  if (!parsed.success) {
    return {
      ok: false,
      response: apiError(400, 'invalid_settings', { issues: settingsIssues(parsed.error) }),
    };
  }
  return { ok: true, data: parsed.data };
}
