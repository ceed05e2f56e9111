import { ApiVersion, type B24OAuth } from '@bitrix24/b24jssdk';
import { redactJson } from './redact.js';
import type { RestLogEntry } from './rest-log.js';

interface Sent {
  readonly at: number;
  readonly params: string;
  /** The access token the request carried: blotted out of the answer too, wherever it shows. */
  readonly known: readonly string[];
}

/**
 * Records every HTTP request a portal's b24jssdk client sends, and its answer, through the
 * client's axios instance (`ajaxClient`, the SDK's documented hook): the app's own calls and the
 * CRM adapter's share this client (oauth/crm-auth.ts), so both are recorded here. Each attempt is
 * one entry — a `QUERY_LIMIT_EXCEEDED` the SDK re-sent shows as two, as the portal saw them.
 * Secrets are redacted before the entry leaves this function (redact.ts).
 */
export function recordRestCalls(
  client: B24OAuth,
  memberId: string,
  record: (entry: RestLogEntry) => void,
  now: () => number,
): void {
  for (const version of [ApiVersion.v2, ApiVersion.v3]) {
    const ajax = client.getHttpClient(version).ajaxClient;
    // Keyed by the request's config object, which axios hands on to the answer and the error.
    const sent = new WeakMap<object, Sent>();
    ajax.interceptors.request.use((config) => {
      const known = typeof config.data?.auth === 'string' ? [config.data.auth] : [];
      sent.set(config, { at: now(), params: redactJson(config.data ?? {}, known), known });
      return config;
    });
    const entry = (
      config: { url?: string | undefined; data?: unknown } | undefined,
      status: number,
      body: unknown,
      failure: string | undefined,
    ): RestLogEntry => {
      const request = config === undefined ? undefined : sent.get(config);
      const at = request?.at ?? now();
      const error =
        typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
      return {
        memberId,
        at,
        method: methodOf(config?.url),
        params: request?.params ?? '',
        status,
        outcome: typeof error === 'string' && error !== '' ? error : (failure ?? 'ok'),
        answer: body === undefined || body === '' ? '' : redactJson(body, request?.known),
        durationMs: now() - at,
      };
    };
    ajax.interceptors.response.use(
      (response) => {
        record(entry(response.config, response.status, response.data, undefined));
        return response;
      },
      (error: unknown) => {
        const failed = error as {
          config?: { url?: string; data?: unknown };
          response?: { status?: number; data?: unknown };
          code?: string;
        };
        record(
          entry(failed.config, failed.response?.status ?? 0, failed.response?.data, failed.code ?? 'ERROR'),
        );
        return Promise.reject(error);
      },
    );
  }
}

/** `https://portal/rest//crm.lead.list?bx24_request_id=…` → `crm.lead.list`. */
function methodOf(url: string | undefined): string {
  if (url === undefined) return '';
  const path = url.replace(/[?#].*$/, '');
  const last = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(last).replace(/\.json$/, '');
  } catch {
    return last;
  }
}
