/** A body read whole, or refused for its size having read at most `maxBytes` and one chunk. */
export type BoundedBody =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly maxBytes: number };

/**
 * Reads a request body of at most `maxBytes` bytes. `request.text()` reads everything first and
 * lets the size be checked after: a chunked request (no `Content-Length`) of any size was held in
 * memory before its 413. Here a declared length over the limit is refused without touching the body
 * (the server drains or closes the connection as it sees fit, and the client gets its 413), and a
 * body without one is counted chunk by chunk and cancelled as soon as it passes the limit.
 * A body that fails while streaming (the client went away) rejects, as `request.text()` would.
 */
export async function readBoundedBody(request: Request, maxBytes: number): Promise<BoundedBody> {
  const declared = declaredLength(request.headers);
  if (declared !== undefined && declared > maxBytes) return { ok: false, maxBytes };
  if (request.body === null) return { ok: true, bytes: new Uint8Array(0) };

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      // Not awaited: a source whose cancel hangs must not hold the 413 back.
      reader.cancel().catch(() => {});
      return { ok: false, maxBytes };
    }
    chunks.push(value);
  }
  return { ok: true, bytes: concat(chunks, size) };
}

/** `Content-Length` as a number, or undefined when absent or not one plain decimal number. */
function declaredLength(headers: Headers): number | undefined {
  const value = headers.get('content-length')?.trim();
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
