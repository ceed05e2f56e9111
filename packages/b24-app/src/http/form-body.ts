import { jsonResponse, readBoundedBody } from '@prozvon/sdk';
import qs from 'qs';

/** Bitrix24's posts (events, frame opens) are small; a lead event is under 2 KB. */
export const MAX_FORM_BYTES = 64 * 1024;

export type FormBody =
  | { readonly ok: true; readonly fields: Record<string, unknown> }
  | { readonly ok: false; readonly response: Response };

/**
 * Reads what Bitrix24 posts: `application/x-www-form-urlencoded` with PHP bracket nesting
 * (`auth[member_id]=…`, BITRIX24.md §3), bounded in size and depth so a hostile body costs little.
 * Anything else is refused with the status that says why (413, 415, 400).
 */
export async function readFormBody(request: Request, maxBytes = MAX_FORM_BYTES): Promise<FormBody> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    return {
      ok: false,
      response: jsonResponse(415, { error: 'expected a form (application/x-www-form-urlencoded)' }),
    };
  }
  const body = await readBoundedBody(request, maxBytes);
  if (!body.ok) return { ok: false, response: jsonResponse(413, { error: 'body_too_large', maxBytes }) };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body.bytes);
  } catch {
    return { ok: false, response: jsonResponse(400, { error: 'the body is not UTF-8' }) };
  }
  const fields = qs.parse(text, { depth: 5, parameterLimit: 500, arrayLimit: 100, allowPrototypes: false });
  return { ok: true, fields: fields as Record<string, unknown> };
}

/** The query string of a request as flat strings (DOMAIN, PROTOCOL, LANG, APP_SID of a frame open). */
export function queryOf(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams);
}
