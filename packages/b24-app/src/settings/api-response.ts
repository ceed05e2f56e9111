import { jsonResponse } from '@prozvon/sdk';

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
  | 'voximplant_failed';

export function apiError(status: number, error: ApiErrorCode, extra: Record<string, unknown> = {}): Response {
  const headers: Record<string, string> =
    status === 401 ? { 'www-authenticate': 'Bearer realm="prozvon-portal"' } : {};
  return jsonResponse(status, { error, ...extra }, headers);
}

export function apiOk(body: unknown, status = 200): Response {
  return jsonResponse(status, body);
}

/** Settings bodies are small: a page's form, a PEM key. */
const MAX_BODY_BYTES = 64 * 1024;

/** The request's JSON body, or the 400/413 to answer instead. */
export async function readJson(
  request: Request,
): Promise<{ ok: true; body: unknown } | { ok: false; response: Response }> {
  const length = Number(request.headers.get('content-length') ?? '0');
  if (length > MAX_BODY_BYTES) return { ok: false, response: apiError(413, 'bad_body') };
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return { ok: false, response: apiError(413, 'bad_body') };
  try {
    return { ok: true, body: text === '' ? {} : (JSON.parse(text) as unknown) };
  } catch {
    return { ok: false, response: apiError(400, 'bad_body', { message: 'expected a JSON body' }) };
  }
}
