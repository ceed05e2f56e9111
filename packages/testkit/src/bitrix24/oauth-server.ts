import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../core/read-body.js';
import type { Apps } from './apps.js';
import type { Bitrix24Clock } from './clock.js';
import { type AppGrant, CODE_TTL_MS, type Credentials } from './credentials.js';
import { RestError } from './errors.js';
import type { TokenRequest } from './records.js';
import { readParams } from './request-params.js';

export interface OAuthDeps {
  apps: Apps;
  credentials: Credentials;
  clock: Bitrix24Clock;
  serverEndpoint: () => string;
  /** Told of every request to `/oauth/token/` and how it ended. */
  record?: (request: TokenRequest) => void;
}

// Status codes are not documented (§2.3): 400 for grant errors as §9 says, 401 for a bad client.
const oauthError = (status: number, code: string, description: string) =>
  new RestError(status, code, description);

/** Issues an authorization code, as the portal does when a user approves the app. */
export function issueCode(deps: OAuthDeps, grant: Omit<AppGrant, 'expiresAt' | 'scope'>): string {
  const app = deps.apps.get(grant.clientId);
  if (app === undefined) throw new Error(`unknown app ${grant.clientId}`);
  const code = deps.credentials.token();
  deps.credentials.codes.set(code, { ...grant, scope: app.scope, expiresAt: deps.clock.now() + CODE_TTL_MS });
  return code;
}

/**
 * `GET|POST /oauth/token/` (§2.3): `authorization_code` and `refresh_token` grants. Refresh tokens
 * rotate and are one-time: a used, revoked or expired one gets `invalid_grant`.
 */
export function createOAuthHandler(deps: OAuthDeps) {
  function grantTokens(params: Record<string, unknown>) {
    const app = deps.apps.get(String(params.client_id ?? ''));
    if (app === undefined || params.client_secret !== app.clientSecret) {
      throw oauthError(401, 'invalid_client', 'Invalid client credentials');
    }
    const now = deps.clock.now();
    let grant: AppGrant | undefined;
    if (params.grant_type === 'authorization_code') {
      const code = String(params.code ?? '');
      grant = deps.credentials.codes.get(code);
      deps.credentials.codes.delete(code);
      if (grant === undefined || grant.clientId !== app.clientId || now >= grant.expiresAt) {
        throw oauthError(400, 'invalid_grant', 'Invalid authorization code');
      }
    } else if (params.grant_type === 'refresh_token') {
      const token = String(params.refresh_token ?? '');
      grant = deps.credentials.refreshTokens.get(token);
      if (grant === undefined || grant.clientId !== app.clientId || now >= grant.expiresAt) {
        throw oauthError(400, 'invalid_grant', 'Invalid refresh token');
      }
      deps.credentials.refreshTokens.delete(token); // one-time: the new one replaces it
    } else {
      throw oauthError(400, 'invalid_request', 'Invalid grant_type');
    }
    const { portal } = grant;
    if (!portal.installs.has(app.clientId))
      throw oauthError(401, 'invalid_client', 'Application not installed');
    if (app.paymentExpired.has(portal.memberId)) {
      throw oauthError(400, 'PAYMENT_REQUIRED', 'Payment required');
    }
    const tokens = deps.credentials.issue(portal, app.clientId, grant.userId, grant.scope, now);
    return {
      access_token: tokens.accessToken,
      expires: Math.floor(tokens.expiresAt / 1000),
      expires_in: 3600,
      scope: grant.scope.join(','),
      domain: new URL(deps.serverEndpoint()).host,
      server_endpoint: deps.serverEndpoint(),
      status: 'L',
      client_endpoint: portal.clientEndpoint,
      member_id: portal.memberId,
      user_id: grant.userId,
      refresh_token: tokens.refreshToken,
    };
  }

  return async (req: IncomingMessage, res: ServerResponse, query: string): Promise<void> => {
    let params: Record<string, unknown> = {};
    const record = (outcome: string, memberId?: string) =>
      deps.record?.({
        grantType: String(params.grant_type ?? ''),
        clientId: String(params.client_id ?? ''),
        ...(memberId === undefined ? {} : { memberId }),
        outcome,
        at: deps.clock.now(),
      });
    try {
      params = await readParams(req, query);
      const answer = grantTokens(params);
      record('issued', answer.member_id);
      sendJson(res, 200, answer);
    } catch (error) {
      const e = error instanceof RestError ? error : oauthError(500, 'server_error', String(error));
      record(e.code);
      sendJson(res, e.status, e.toBody());
    }
  };
}
