import type { IncomingMessage, ServerResponse } from 'node:http';

/** 1 MiB: far above any real SMS or Bitrix24 request, low enough to stop a runaway test. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface RequestBody {
  raw: string;
  /** Set when the content type is JSON and the body parsed. */
  json?: unknown;
  /** Set when the content type is application/x-www-form-urlencoded, or multipart (its text fields). */
  form?: URLSearchParams;
}

/** Thrown for a body over the cap or JSON that does not parse; `status` is the HTTP answer to give. */
export class BodyError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'BodyError';
    this.status = status;
  }
}

/**
 * Reads the whole request body (capped) and parses JSON or form bodies by content type.
 * Query parameters are left to the caller (`new URL(req.url, 'http://x')`).
 */
export async function readBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<RequestBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Stop reading at once; draining a huge body would defeat the cap.
    if (size > maxBytes) throw new BodyError(413, `request body over ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  const bytes = Buffer.concat(chunks);
  const raw = bytes.toString('utf8');
  const contentType = req.headers['content-type'] ?? '';
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json' || type.endsWith('+json')) {
    if (raw.trim() === '') return { raw };
    try {
      return { raw, json: JSON.parse(raw) as unknown };
    } catch {
      throw new BodyError(400, 'request body is not valid JSON');
    }
  }
  if (type === 'application/x-www-form-urlencoded') return { raw, form: new URLSearchParams(raw) };
  if (type === 'multipart/form-data') return { raw, form: await multipartFields(bytes, contentType) };
  return { raw };
}

/** The text fields of a multipart body (files are not part of any API simulated here); undici parses it. */
async function multipartFields(bytes: Buffer, contentType: string): Promise<URLSearchParams> {
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new BodyError(400, 'request body is not valid multipart/form-data');
  }
  const fields = new URLSearchParams();
  for (const [name, value] of form) if (typeof value === 'string') fields.append(name, value);
  return fields;
}

/** Answers with a JSON body and an exact content-length. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}
