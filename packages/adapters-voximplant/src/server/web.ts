import { readBoundedBody } from '@prozvon/sdk';

/**
 * The most a scenario request may carry. A signed result is under 1 KiB and a plan request under
 * 200 bytes; 16 KiB leaves room for a long `failureReason` and refuses anything else early.
 */
export const CALLBACK_MAX_BODY_BYTES = 16 * 1024;

/** A JSON Response with no caching: plans and results are per call. */
export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/**
 * The body as text, or the 413 to answer: nothing past `maxBytes` is read, and a body that says it
 * is larger is not read at all, so an unsigned request can never make us hold more than that.
 * Decoded as `request.text()` decodes, so a signature is checked over the same text as before.
 */
export async function readText(request: Request, maxBytes: number): Promise<string | Response> {
  const body = await readBoundedBody(request, maxBytes);
  if (!body.ok) return jsonResponse(413, { error: 'too_large', maxBytes });
  return new TextDecoder().decode(body.bytes);
}

/** JSON text as a value, or undefined when it is not JSON: the caller's schema then names the problem. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
