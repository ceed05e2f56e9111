import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { sendJson } from '../core/read-body.js';
import type { Bitrix24Clock } from './clock.js';
import type { Credentials } from './credentials.js';
import type { Dispatcher } from './dispatcher.js';
import { successBody, timeBlock } from './envelope.js';
import { RestError, systemErrors } from './errors.js';
import { LeakyBucket, RATE_LIMITS, type RateLimit } from './limiter.js';
import type { SimServices } from './methods/types.js';
import type { Portal } from './portal.js';
import { handleRecordUpload } from './record-upload.js';
import { readParams } from './request-params.js';

/** Browsers call the portal cross-origin from the app's iframe (§6; inferred for the real portal). */
export const CORS_HEADERS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type, authorization',
  'access-control-max-age': '86400',
};

export interface RestDeps {
  clock: Bitrix24Clock;
  credentials: Credentials;
  dispatcher: Dispatcher;
  services: SimServices;
  /** undefined: each portal's plan decides (§7); false: off. */
  rateLimit: () => RateLimit | false | undefined;
  httpsOnly: boolean;
}

const NO_HEADERS: Record<string, string> = {};

/** CORS headers only for browsers (they send Origin): server clients are spared the bytes. */
function cors(req: IncomingMessage): Record<string, string> {
  return req.headers.origin === undefined ? NO_HEADERS : CORS_HEADERS;
}

function sendError(req: IncomingMessage, res: ServerResponse, error: RestError): void {
  sendJson(res, error.status, error.toBody(), cors(req));
}

/** `crm.Lead.Add.json` → `crm.lead.add`; method names match case-insensitively (§1, unverified). */
function methodName(segment: string): string {
  let name: string;
  try {
    name = decodeURIComponent(segment);
  } catch {
    name = segment;
  }
  name = name.toLowerCase();
  return name.endsWith('.json') ? name.slice(0, -'.json'.length) : name;
}

/**
 * `/rest/<method>` (auth= token) and `/rest/<user>/<secret>/<method>` (inbound webhook), GET or
 * POST; the router has collapsed `//` already.
 */
export function createRestHandler(deps: RestDeps) {
  const buckets = new WeakMap<Portal, LeakyBucket>();

  function takeFromBucket(portal: Portal, now: number, method: string): void {
    const counts = portal.restRequests;
    counts.total++;
    counts.byMethod.set(method, (counts.byMethod.get(method) ?? 0) + 1);
    const limit = deps.rateLimit() ?? RATE_LIMITS[portal.plan];
    if (limit === false) return;
    let bucket = buckets.get(portal);
    if (bucket === undefined) {
      bucket = new LeakyBucket();
      buckets.set(portal, bucket);
    }
    if (!bucket.tryTake(now, limit)) {
      counts.queryLimitExceeded++;
      throw systemErrors.queryLimit();
    }
  }

  return async (req: IncomingMessage, res: ServerResponse, path: string, query: string): Promise<void> => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS_HEADERS);
      res.end();
      return;
    }
    try {
      if (deps.httpsOnly && !(req.socket as TLSSocket).encrypted) throw systemErrors.httpsRequired();
      const segments = path
        .slice('/rest/'.length)
        .split('/')
        .filter((s) => s !== '');
      const last = segments[segments.length - 1];
      if (last === undefined || (segments.length !== 1 && segments.length !== 3)) {
        throw systemErrors.methodNotFound();
      }
      const method = methodName(last);
      const now = deps.clock.now();
      if (method === 'upload' && segments.length === 1) {
        // attachRecord's uploadUrl: the body is the file, the credential is in the query.
        const search = new URLSearchParams(query);
        const { portal, auth } = deps.credentials.access(search.get('auth') ?? undefined, now);
        takeFromBucket(portal, now, method);
        const started = performance.now();
        const result = await handleRecordUpload(req, portal, auth.clientId, search.get('token') ?? '');
        const time = timeBlock(now, performance.now() - started, portal.offsetMinutes);
        sendJson(res, 200, successBody({ result }, time), cors(req));
        return;
      }
      const params = await readParams(req, query);
      const { portal, auth } =
        segments.length === 3
          ? deps.credentials.webhook(segments[0] ?? '', segments[1] ?? '')
          : deps.credentials.access(params.auth, now);
      delete params.auth;
      takeFromBucket(portal, now, method);

      const outcome = await deps.dispatcher.call(method, params, { portal, auth, now, sim: deps.services });
      if (outcome.ok) sendJson(res, 200, successBody(outcome.value, outcome.time), cors(req));
      else sendJson(res, outcome.status, outcome.body, cors(req));
    } catch (error) {
      if (error instanceof RestError) sendError(req, res, error);
      else sendError(req, res, new RestError(500, 'INTERNAL_SERVER_ERROR', String(error)));
    }
  };
}
