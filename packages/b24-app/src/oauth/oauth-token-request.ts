import { TransientError } from '@prozvon/sdk';
import { z } from 'zod';

/** The app's own credentials at Bitrix24 (the local app's or the Market app's). */
export interface AppCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** A refresh the OAuth server answered with an error: `invalid_grant`, `invalid_client`… */
export class OAuthRefusal extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    description: string,
  ) {
    super(`Bitrix24 OAuth refused the refresh: ${code}${description ? ` (${description})` : ''}`);
    this.name = 'OAuthRefusal';
  }
}

export interface RefreshedPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Epoch ms at which the new access token expires. */
  readonly expiresAt: number;
  /**
   * Whose tokens these are, as the OAuth server says (BITRIX24.md §2.3): the install page believes
   * nothing else. Absent only if a server leaves them out.
   */
  readonly memberId?: string;
  readonly clientEndpoint?: string;
  readonly serverEndpoint?: string;
}

export interface TokenRequestOptions {
  readonly fetch?: typeof fetch;
  /** How long the OAuth server may take to answer; past it the refresh is a TransientError. */
  readonly timeoutMs?: number;
}

// Numbers arrive as numbers from the OAuth server and as strings in events: take both.
const seconds = z.coerce.number().int().positive();
const grantSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires: seconds.optional(),
  expires_in: seconds.optional(),
  member_id: z.string().min(1).optional(),
  client_endpoint: z.url().optional(),
  server_endpoint: z.url().optional(),
});
const errorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

/** Where the portal's OAuth server takes token grants: `server_endpoint` minus `rest/` (BITRIX24.md §2.3). */
export function tokenUrl(serverEndpoint: string): URL {
  const url = new URL(
    '../oauth/token/',
    serverEndpoint.endsWith('/') ? serverEndpoint : `${serverEndpoint}/`,
  );
  // The client secret travels in this request: never in clear.
  if (url.protocol !== 'https:')
    throw new Error(`The OAuth server endpoint must be https, got ${url.origin}`);
  return url;
}

/**
 * One `grant_type=refresh_token` request, as b24jssdk sends it (POST, form body; BITRIX24.md §8).
 * Answers the new pair; an error body → OAuthRefusal; no answer, a timeout, a 5xx or a body
 * that is not a grant → TransientError (the refresh token may still be good: try again later).
 */
export async function requestTokenRefresh(
  serverEndpoint: string,
  app: AppCredentials,
  refreshToken: string,
  now: number,
  options: TokenRequestOptions = {},
): Promise<RefreshedPair> {
  const body = new URLSearchParams({
    grant_type: 'refresh_token',
    client_id: app.clientId,
    client_secret: app.clientSecret,
    refresh_token: refreshToken,
  });
  let response: Response;
  let payload: unknown;
  try {
    response = await (options.fetch ?? fetch)(tokenUrl(serverEndpoint), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    payload = await response.json();
  } catch (error) {
    throw new TransientError(`Bitrix24 OAuth server did not answer: ${describe(error)}`, { cause: error });
  }
  const refused = errorSchema.safeParse(payload);
  if (refused.success && response.status < 500) {
    throw new OAuthRefusal(refused.data.error, response.status, refused.data.error_description ?? '');
  }
  const grant = grantSchema.safeParse(payload);
  if (!response.ok || !grant.success) {
    throw new TransientError(`Bitrix24 OAuth server answered ${response.status} without new tokens`);
  }
  const { expires, expires_in } = grant.data;
  return {
    accessToken: grant.data.access_token,
    refreshToken: grant.data.refresh_token,
    // `expires` is the server's absolute time; without it, an hour from now (the documented TTL).
    expiresAt: expires !== undefined ? expires * 1000 : now + (expires_in ?? 3600) * 1000,
    ...(grant.data.member_id === undefined ? {} : { memberId: grant.data.member_id }),
    ...(grant.data.client_endpoint === undefined ? {} : { clientEndpoint: grant.data.client_endpoint }),
    ...(grant.data.server_endpoint === undefined ? {} : { serverEndpoint: grant.data.server_endpoint }),
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
