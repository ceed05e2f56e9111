import { z } from 'zod';

/** What Bitrix24's OAuth server answers to a token grant (BITRIX24.md §2.3). */
const tokenAnswerSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires: z.coerce.number().int().positive().optional(),
  expires_in: z.coerce.number().int().positive().default(3600),
  member_id: z.string().min(1),
  client_endpoint: z.url(),
  server_endpoint: z.url(),
  scope: z.string().optional(),
});

export interface GrantedTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Epoch ms. */
  readonly expiresAt: number;
  readonly memberId: string;
  /** `https://<portal>/rest/`, as the OAuth server knows the portal (authoritative). */
  readonly clientEndpoint: string;
  readonly serverEndpoint: string;
  readonly scope: readonly string[];
}

/** The OAuth server refused the grant (`invalid_grant`: the refresh token is used, expired or revoked). */
export class TokenGrantError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TokenGrantError';
  }
}

export interface TokenRequest {
  readonly serverEndpoint: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
  readonly now: number;
  readonly signal?: AbortSignal;
}

/** Whether a portal's `server_endpoint` names one of the OAuth hosts the operator allows. */
export function isAllowedOAuthServer(serverEndpoint: string, hosts: readonly string[]): boolean {
  try {
    const url = new URL(serverEndpoint);
    return url.protocol === 'https:' && hosts.includes(url.host.toLowerCase());
  } catch {
    return false;
  }
}

/**
 * Exchanges a refresh token at the portal's OAuth server (`<origin>/oauth/token/`, as b24jssdk
 * derives it from `server_endpoint`), POSTed as a form so no token sits in a URL a proxy logs.
 * The answer names the portal (`member_id`, `client_endpoint`): the one source the app trusts
 * for who a token belongs to.
 */
export async function requestTokens(request: TokenRequest): Promise<GrantedTokens> {
  const url = new URL('/oauth/token/', request.serverEndpoint);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: request.clientId,
      client_secret: request.clientSecret,
      refresh_token: request.refreshToken,
    }),
    signal: request.signal ?? AbortSignal.timeout(10_000),
  });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = z.object({ error: z.string(), error_description: z.string().optional() }).safeParse(body);
    const code = error.success ? error.data.error : `http_${response.status}`;
    throw new TokenGrantError(code, `the OAuth server refused the token: ${code}`);
  }
  const parsed = tokenAnswerSchema.safeParse(body);
  if (!parsed.success) throw new TokenGrantError('bad_answer', 'the OAuth server answered without tokens');
  const answer = parsed.data;
  return {
    accessToken: answer.access_token,
    refreshToken: answer.refresh_token,
    expiresAt: answer.expires === undefined ? request.now + answer.expires_in * 1000 : answer.expires * 1000,
    memberId: answer.member_id,
    clientEndpoint: answer.client_endpoint,
    serverEndpoint: answer.server_endpoint,
    scope: (answer.scope ?? '').split(',').filter((s) => s !== ''),
  };
}
