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
  const bytes = await readBytes(req, maxBytes);
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

/**
 * The body's bytes. A body whose content-length is within the cap cannot overflow it (the parser
 * stops at content-length), so it is read with 'data'/'end' listeners: the `for await` loop cost a
 * simulator answering thousands of small requests a second ~3 % of its CPU (an async generator and
 * promises per chunk). Anything else (chunked, or declared over the cap) takes the capped loop.
 */
function readBytes(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  return declared <= maxBytes ? readDeclared(req) : readCapped(req, maxBytes);
}

function readDeclared(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let ended = false;
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => {
      ended = true;
      req.off('error', reject);
      // A REST body comes in one chunk: kept as it is, without a Buffer.concat copy.
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    });
    req.once('error', reject);
    // 'close' follows 'end' on every request; without it, the client went away mid-body. (An
    // Error built on every close, stack and all, cost 7 % of the simulator's CPU.)
    req.once('close', () => {
      if (!ended) reject(new Error('the request closed before its body ended'));
    });
  });
}

async function readCapped(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Stop reading at once; draining a huge body would defeat the cap. (Leaving `for await`
    // detaches the request from its socket before destroying it, so the 413 can still be sent.)
    if (size > maxBytes) throw new BodyError(413, `request body over ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
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
