import {
  decodeIntakeBody,
  INTAKE_MEDIA_TYPES,
  intakeMediaType,
  readBoundedBody,
  type SubmitResult,
} from '@prozvon/sdk';
import {
  type CorezoidOpAnswer,
  type OpOutcome,
  opAnswer,
  packageAnswer,
  submitOp,
} from './corezoid-answer.js';
import { corezoidOpSchema, corezoidRequestSchema } from './corezoid-body.js';
import { leadFromCorezoidData } from './corezoid-lead.js';
import { corezoidPathParams } from './intake-paths.js';

export interface CorezoidHandlerOptions {
  /**
   * The tenant whose URL this is, or null for an unknown portal or a wrong secret (the same
   * answer for both). It must compare the secret in constant time (`intakeSecretCheck`, or
   * `checkPortalSecret` built on the portal look-up).
   */
  readonly checkSecret: (portalKey: string, secret: string) => Promise<string | null>;
  /** Usually `(tenantId, input) => host.submitLead(tenantId, input)`. */
  readonly submit: (tenantId: string, input: unknown) => Promise<SubmitResult>;
  /** The SDK's intake limit by default: 64 KiB (the seed's `$_SERVER` is a few KiB). */
  readonly maxBodyBytes?: number;
  /** Ops in one request at most, each a lead: default 20. More refuses the whole package. */
  readonly maxOps?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * The drop-in for the seed's Corezoid URL, `POST …/api/1/json/public/<portalKey>/<secret>`: the
 * PHP template's body taken unchanged — JSON sent by `curl --data`, so under
 * `application/x-www-form-urlencoded` as well as `application/json` — each `create task` op
 * submitted in order as a lead (corezoid-lead.ts), answered in Corezoid's shape
 * (corezoid-answer.ts). HTTP 200 once the package is read, whatever each op's `proc`; 401 for a
 * wrong URL, 413 too large, 415 a type that cannot carry JSON, 400 a package that is not one, 503
 * (with `Retry-After`) when an op could not be decided for a failure of ours. Never a 5xx for
 * bad input, and nothing is read before the secret is checked.
 */
export function createCorezoidHandler(
  options: CorezoidHandlerOptions,
): (request: Request) => Promise<Response> {
  const maxBytes = options.maxBodyBytes ?? 64 * 1024;
  const maxOps = options.maxOps ?? 20;
  return async (request) => {
    if (request.method !== 'POST') {
      return packageAnswer(405, 'format_error', 'POST only', { allow: 'POST' });
    }
    const params = corezoidPathParams(request.url);
    let tenantId: string | null;
    try {
      tenantId = params === null ? null : await options.checkSecret(params.portalKey, params.secret);
    } catch (error) {
      // The portal store failed: nothing was read or stored, and the shop's script may retry.
      options.onError?.(error);
      return packageAnswer(503, 'error', 'temporarily unavailable', { 'retry-after': '5' });
    }
    if (tenantId === null) return packageAnswer(401, 'access_denied', 'wrong URL or secret');
    // curl's `--data` labels its JSON a form: both types carry the package as JSON text.
    if (intakeMediaType(request.headers.get('content-type')) === null) {
      return packageAnswer(415, 'format_error', 'expected JSON', { 'accept-post': INTAKE_MEDIA_TYPES });
    }
    const read = await readBoundedBody(request, maxBytes);
    if (!read.ok) return packageAnswer(413, 'format_error', `the body is over ${maxBytes} bytes`);
    const decoded = decodeIntakeBody('json', read.bytes);
    const envelope = decoded.ok ? corezoidRequestSchema.safeParse(decoded.body) : null;
    if (envelope?.success !== true) return packageAnswer(400, 'format_error', 'expected {"ops":[…]}');
    if (envelope.data.ops.length > maxOps) {
      return packageAnswer(400, 'format_error', `at most ${maxOps} ops in one request`);
    }
    // In order, one at a time: a second op with the first one's ref meets it as a duplicate.
    const outcomes: OpOutcome[] = [];
    for (const raw of envelope.data.ops) outcomes.push(await runOp(raw, tenantId, options));
    return packageResponse(outcomes);
  };
}

async function runOp(raw: unknown, tenantId: string, options: CorezoidHandlerOptions): Promise<OpOutcome> {
  const parsed = corezoidOpSchema.safeParse(raw);
  if (!parsed.success)
    return { answer: opAnswer(named(raw), 'error', { description: 'not an op of {"data":{…}}' }) };
  const op = parsed.data;
  const name = { id: op.id ?? '', ref: op.ref ?? null };
  if (op.type !== 'create' || op.obj !== 'task') {
    return { answer: opAnswer(name, 'error', { description: 'only "type":"create","obj":"task" is taken' }) };
  }
  const lead = leadFromCorezoidData(op.data, op.ref);
  return submitOp(name, () => options.submit(tenantId, lead), options.onError);
}

/** What an op that could not be read is called in its answer: its own id and ref, if it has them. */
function named(raw: unknown): Pick<CorezoidOpAnswer, 'id' | 'ref'> {
  const op = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const id = typeof op.id === 'string' || typeof op.id === 'number' ? op.id : '';
  const ref = typeof op.ref === 'string' || typeof op.ref === 'number' ? op.ref : null;
  return { id, ref };
}

function packageResponse(outcomes: readonly OpOutcome[]): Response {
  const failed = Math.max(0, ...outcomes.map((outcome) => outcome.status ?? 0));
  const retry = Math.max(0, ...outcomes.map((outcome) => outcome.retryAfterSec ?? 0));
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  };
  if (retry > 0) headers['retry-after'] = String(retry);
  const body = { request_proc: 'ok', ops: outcomes.map((outcome) => outcome.answer) };
  return new Response(JSON.stringify(body), { status: failed >= 500 ? failed : 200, headers });
}
