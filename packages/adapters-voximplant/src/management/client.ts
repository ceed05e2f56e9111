import { TransientError } from '@prozvon/sdk';
import { z } from 'zod';
import { errorForApiCode, errorForStatus } from './api-errors.js';
import { type ServiceAccount, signServiceToken } from './jwt.js';

export const DEFAULT_API_BASE = 'https://api.voximplant.com';

export interface ManagementClientOptions extends ServiceAccount {
  /** Default `https://api.voximplant.com`; a test points it at the loopback simulator. */
  readonly apiBase?: string;
  /** Per request. StartScenarios normally answers well under a second. Default 10 s. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

export type ApiParams = Record<string, string | number | boolean | undefined>;

const ErrorEnvelope = z.object({ error: z.object({ code: z.number(), msg: z.string().default('') }) });
const ErrorsEnvelope = z.object({
  errors: z.array(z.object({ code: z.number(), msg: z.string().default('') })).min(1),
});

/**
 * A small Management API client: one form-urlencoded POST per call to
 * `<apiBase>/platform_api/<Method>` with a fresh service-account JWT. Why not the official
 * `@voximplant/apiclient-nodejs` (VOXIMPLANT.md §3): it reads credentials only from a file and
 * kills the process when the file is missing, pins axios 0.21, has no timeout, only speaks HTTPS
 * to a host name, and resolves (does not reject) on API errors.
 *
 * Every failure is thrown as a PortError: API errors arrive as HTTP 200 with an `error` body, so
 * the body is checked whatever the status.
 */
export class ManagementClient {
  readonly #options: ManagementClientOptions;
  readonly #base: string;
  readonly #fetch: typeof fetch | undefined;
  readonly #now: () => number;

  constructor(options: ManagementClientOptions) {
    this.#options = options;
    this.#base = (options.apiBase ?? DEFAULT_API_BASE).replace(/\/+$/, '');
    // The global is looked up per call, not captured here, so instrumentation installed later
    // (an APM agent, msw in a test) still sees the requests.
    this.#fetch = options.fetch;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The client for parsed settings that hold more than its own (the voice adapter's, provisioning's):
   * it keeps only the service account and its request options, not the shop's secret or store.
   */
  static fromSettings(settings: ManagementClientOptions): ManagementClient {
    const { accountId, keyId, privateKey, apiBase, timeoutMs, fetch, now } = settings;
    return new ManagementClient({ accountId, keyId, privateKey, apiBase, timeoutMs, fetch, now });
  }

  /**
   * Calls `method` and returns its parsed JSON body; throws a PortError on any failure. `signal`
   * is the caller's deadline; the request ends at it or at `timeoutMs`, whichever comes first.
   */
  async call(method: string, params: ApiParams, signal?: AbortSignal): Promise<unknown> {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(params))
      if (value !== undefined) form.set(name, String(value));
    let response: Response;
    try {
      response = await (this.#fetch ?? fetch)(`${this.#base}/platform_api/${method}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${signServiceToken(this.#options, this.#now())}`,
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          accept: 'application/json',
        },
        body: form,
        signal: withDeadline(this.#options.timeoutMs ?? 10_000, signal),
      });
    } catch (error) {
      // A network error, a timeout or the deadline: the request may have been performed (a
      // session started), so it is transient and the engine never re-sends a paid dial on it.
      if (signal?.aborted) throw deadlinePassed(method, signal);
      throw new TransientError(`Voximplant ${method} failed: ${describe(error)}`, { cause: error });
    }
    // The body is read under the same signal: a server that sends headers and then stalls is
    // abandoned at the deadline too.
    const body = await readJson(response);
    if (body === undefined && signal?.aborted) throw deadlinePassed(method, signal);
    const apiError = ErrorEnvelope.safeParse(body);
    if (apiError.success) throw errorForApiCode(method, apiError.data.error);
    const apiErrors = ErrorsEnvelope.safeParse(body);
    if (apiErrors.success)
      throw errorForApiCode(method, apiErrors.data.errors[0] as { code: number; msg: string });
    if (!response.ok) throw errorForStatus(method, response.status, response.headers.get('retry-after'));
    if (body === undefined)
      throw new TransientError(`Voximplant ${method} answered HTTP ${response.status} without JSON`);
    return body;
  }
}

/** Our own timeout, and the caller's deadline when there is one. */
function withDeadline(timeoutMs: number, signal: AbortSignal | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal === undefined ? timeout : AbortSignal.any([timeout, signal]);
}

function deadlinePassed(method: string, signal: AbortSignal): TransientError {
  return new TransientError(`Voximplant ${method}: the deadline passed before an answer came`, {
    cause: signal.reason,
  });
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.name === 'TimeoutError' ? 'timed out' : error.message;
  return String(error);
}
