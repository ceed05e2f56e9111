import type { IncomingMessage } from 'node:http';
import { BodyError, readBody } from '../core/read-body.js';
import { RestError } from './errors.js';
import { decodePhpParams } from './php-query.js';

/**
 * A REST call's parameters, merged as the portal reads them: the query string, then a form body
 * (PHP brackets) or a JSON body on top. The SDK's own `bx24_*` query markers are dropped.
 */
export async function readParams(req: IncomingMessage, query: string): Promise<Record<string, unknown>> {
  const fromQuery = query === '' ? {} : decodePhpParams(new URLSearchParams(query));
  for (const key of Object.keys(fromQuery)) if (key.startsWith('bx24_')) delete fromQuery[key];
  if (req.method === 'GET' || req.method === 'HEAD') return fromQuery;
  let body: Awaited<ReturnType<typeof readBody>>;
  try {
    body = await readBody(req);
  } catch (error) {
    if (error instanceof BodyError) throw new RestError(error.status, 'INVALID_REQUEST', error.message);
    throw error;
  }
  if (body.form) return { ...fromQuery, ...decodePhpParams(body.form) };
  if (body.json !== undefined) {
    if (typeof body.json !== 'object' || body.json === null || Array.isArray(body.json)) {
      throw new RestError(400, 'INVALID_REQUEST', 'Request body must be a JSON object');
    }
    // Nothing to merge (the usual case): the freshly parsed body is the params, not copied.
    if (query === '') return body.json as Record<string, unknown>;
    return { ...fromQuery, ...(body.json as Record<string, unknown>) };
  }
  return fromQuery;
}
