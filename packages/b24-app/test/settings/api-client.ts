import type { AppFixture } from '../app/app-fixture.js';

/**
 * A user's access token on a portal, as the frame's AUTH_ID would be: the simulator's
 * authorization code for that user, exchanged at its OAuth server.
 */
export async function userToken(fixture: AppFixture, options: { portal?: string; userId?: number } = {}) {
  const { sim, b24App } = fixture;
  const code = sim.authorize(b24App.clientId, options);
  const query = new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: b24App.clientId,
    client_secret: b24App.clientSecret,
    code,
  });
  const answer = await fetch(`${sim.url}/oauth/token/?${query}`);
  const body = (await answer.json()) as { access_token?: string };
  if (typeof body.access_token !== 'string') throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.access_token;
}

export interface Caller {
  readonly token: string;
  readonly memberId: string;
}

/** A request to the app's settings API as a page would send it. */
export async function api(
  fixture: AppFixture,
  caller: Caller | null,
  method: string,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
  // biome-ignore lint/suspicious/noExplicitAny: a test reads the JSON answers' fields directly
): Promise<{ status: number; body: any; text: string; headers: Headers }> {
  const headers: Record<string, string> = { ...extraHeaders };
  if (caller !== null) {
    headers.authorization = `Bearer ${caller.token}`;
    headers['x-prozvon-portal'] = caller.memberId;
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${fixture.config.publicUrl}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  return { status: response.status, body: parsed, text, headers: response.headers };
}

/** A settings page's save: the settings read first, their ETag sent back as If-Match. */
export async function putSettings(fixture: AppFixture, caller: Caller, body: unknown) {
  const read = await api(fixture, caller, 'GET', '/api/portal/settings');
  return api(fixture, caller, 'PUT', '/api/portal/settings', body, {
    'if-match': read.headers.get('etag') ?? '',
  });
}
