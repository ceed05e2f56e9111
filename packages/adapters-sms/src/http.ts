import { ambiguous, SmsProviderUnavailableError } from './errors.js';

/** What a gateway answered: the HTTP status, the body as text, and the body as JSON when it is JSON. */
export interface GatewayAnswer {
  readonly status: number;
  readonly text: string;
  readonly json: unknown;
  readonly headers: Headers;
}

export interface PostFormOptions {
  readonly provider: string;
  readonly url: string;
  readonly form: URLSearchParams;
  readonly headers?: Record<string, string>;
  readonly timeoutMs: number;
  /** How long to wait before trying a provider that could not be reached at all. */
  readonly unreachableRetryMs: number;
  /** The caller's deadline (the engine's); the request ends at it or at `timeoutMs`. */
  readonly signal?: AbortSignal | undefined;
}

// Failures that happen before a single byte of the request reaches the provider: the SMS was
// certainly not sent, so the failover chain may hand it to the next provider.
const NEVER_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * POSTs a form and reads the whole answer, with one deadline for both. Never retries: a send is
 * paid and none of the gateways has an idempotency key (MESSAGING.md), so a request that may
 * have arrived is reported as ambiguous and left to the engine, which never re-sends it.
 */
export async function postForm(options: PostFormOptions): Promise<GatewayAnswer> {
  const deadline = options.signal;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = deadline === undefined ? timeout : AbortSignal.any([timeout, deadline]);
  let response: Response;
  try {
    response = await fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...options.headers },
      body: options.form.toString(),
      signal,
    });
  } catch (error) {
    // At the deadline the request may already be at the gateway: ambiguous, never failed over.
    if (deadline?.aborted) throw deadlinePassed(options.provider, deadline);
    const code = connectionErrorCode(error);
    if (code !== undefined && NEVER_CONNECTED.has(code)) {
      throw new SmsProviderUnavailableError(
        options.provider,
        'down',
        `${options.provider}: could not connect (${code}); nothing was sent`,
        options.unreachableRetryMs,
        { cause: error },
      );
    }
    throw ambiguous(options.provider, describe(error), error);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (deadline?.aborted) throw deadlinePassed(options.provider, deadline);
    throw ambiguous(options.provider, `the answer was cut off (${describe(error)})`, error);
  }
  return { status: response.status, text, json: parseJson(text), headers: response.headers };
}

function deadlinePassed(provider: string, deadline: AbortSignal): Error {
  return ambiguous(provider, 'the deadline passed before an answer came', deadline.reason);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The system error code under fetch's generic "fetch failed" (undici puts it in `cause`). */
export function connectionErrorCode(error: unknown): string | undefined {
  const cause = error instanceof Error ? error.cause : undefined;
  if (typeof cause !== 'object' || cause === null) return undefined;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // Happy-eyeballs tries every address and fails with an AggregateError of them.
  if (cause instanceof AggregateError) {
    const codes = cause.errors.map((e: unknown) => (e as { code?: unknown } | null)?.code);
    const first = codes[0];
    if (typeof first === 'string' && codes.every((c) => c === first)) return first;
  }
  return undefined;
}

function describe(error: unknown): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return 'no answer in time';
  const code = connectionErrorCode(error);
  if (code !== undefined) return `network error ${code}`;
  return error instanceof Error ? `network error: ${error.message}` : 'network error';
}
