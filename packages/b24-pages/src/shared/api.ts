/** What the page's API client needs of the frame: the user's token and a way to renew it. */
export interface ApiAuth {
  readonly memberId: string;
  token(): string | null;
  /** Asks the portal for a fresh token (B24Frame's refreshAuth); null when it gives none. */
  refresh(): Promise<string | null>;
}

/** An answer of the settings API, parsed: the status and the JSON body (`{}` when there was none). */
export interface ApiAnswer<T = unknown> {
  readonly status: number;
  readonly ok: boolean;
  readonly body: T;
}

/** The issue list of a 400 (`invalid_settings`, `invalid_request`): one per field, dotted paths. */
export interface ApiIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * The pages' client of `/api/portal/…`: every request carries the user's own token from B24Frame
 * (`Authorization: Bearer`) and the portal's member id (`X-Prozvon-Portal`), which is what the
 * server checks (packages/b24-app/src/settings/frame-auth.ts). A 401 is retried once with a token
 * the portal renews: the frame's token lives an hour, a page may stay open longer.
 */
export class PortalApi {
  readonly #auth: ApiAuth;
  readonly #fetch: typeof fetch;

  constructor(auth: ApiAuth, fetcher: typeof fetch = (...args) => fetch(...args)) {
    this.#auth = auth;
    this.#fetch = fetcher;
  }

  get<T>(path: string): Promise<ApiAnswer<T>> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<ApiAnswer<T>> {
    return this.request<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer<T>> {
    return this.request<T>('PUT', path, body, headers);
  }

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<ApiAnswer<T>> {
    const first = await this.#send(method, path, body, this.#auth.token(), extra);
    if (first.status !== 401) return read<T>(first);
    const renewed = await this.#auth.refresh().catch(() => null);
    if (renewed === null) return read<T>(first);
    return read<T>(await this.#send(method, path, body, renewed, extra));
  }

  #send(
    method: string,
    path: string,
    body: unknown,
    token: string | null,
    extra: Record<string, string>,
  ): Promise<Response> {
    const headers: Record<string, string> = { ...extra, 'x-prozvon-portal': this.#auth.memberId };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return this.#fetch(path, {
      method,
      headers,
      cache: 'no-store',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }
}

async function read<T>(response: Response): Promise<ApiAnswer<T>> {
  const text = await response.text();
  let body: unknown = {};
  if (text !== '') {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = { error: 'not_json', message: text.slice(0, 200) };
    }
  }
  return { status: response.status, ok: response.ok, body: body as T };
}

/** The message a person reads for a refused request: the API's own words when it gave some. */
export function errorText(answer: ApiAnswer): string {
  const body = answer.body as { error?: unknown; message?: unknown };
  if (typeof body.message === 'string' && body.message !== '') return body.message;
  if (answer.status === 401) return 'The portal did not confirm who you are. Reopen the app from the portal.';
  if (answer.status === 403) return 'Only a portal administrator may do this.';
  if (answer.status === 404) return 'Not found.';
  return typeof body.error === 'string' ? `${body.error} (HTTP ${answer.status})` : `HTTP ${answer.status}`;
}

/** An API client for a page opened in the portal. */
export function apiOf(context: {
  readonly memberId: string;
  readonly b24: {
    readonly auth: {
      getAuthData(): false | { access_token: string };
      refreshAuth(): Promise<false | { access_token: string }>;
    };
  };
}): PortalApi {
  return new PortalApi({
    memberId: context.memberId,
    token: () => {
      const data = context.b24.auth.getAuthData();
      return data === false ? null : data.access_token;
    },
    refresh: async () => {
      const data = await context.b24.auth.refreshAuth();
      return data === false ? null : data.access_token;
    },
  });
}
