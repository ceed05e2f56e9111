import { B24OAuth, type B24OAuthParams, RefreshTokenError } from '@bitrix24/b24jssdk';
import { describe, expect, it } from 'vitest';
import { type Bitrix24Sim, ManualClock } from '../../src/bitrix24/index.js';
import { startSim } from './helpers.js';

async function oauthClient(sim: Bitrix24Sim) {
  const app = sim.registerApp();
  const { auth } = await sim.installApp(app.clientId);
  const params: B24OAuthParams = {
    applicationToken: auth.application_token,
    userId: 1,
    memberId: auth.member_id,
    accessToken: auth.access_token ?? '',
    refreshToken: auth.refresh_token ?? '',
    expires: Number(auth.expires),
    expiresIn: 3600,
    scope: auth.scope ?? '',
    domain: auth.domain,
    clientEndpoint: auth.client_endpoint,
    serverEndpoint: auth.server_endpoint,
    status: 'L',
  };
  const refreshed: B24OAuthParams[] = [];
  const b24 = new B24OAuth(params, { clientId: app.clientId, clientSecret: app.clientSecret });
  b24.setCallbackRefreshAuth(async ({ b24OAuthParams }) => {
    refreshed.push({ ...b24OAuthParams });
  });
  return { b24, app, auth, refreshed };
}

// The Bitrix24 app will run on B24OAuth: token refresh against the simulator's OAuth server,
// and the app-only telephony methods, must work end to end (BITRIX24.md §8).
describe('b24jssdk B24OAuth against the simulator', () => {
  it('logs a call on the lead card with register + finish', async () => {
    const sim = await startSim();
    const { b24 } = await oauthClient(sim);
    sim.portal().seedLead({ TITLE: 'L', PHONE: [{ VALUE: '+79161234567' }] });
    const registered = await b24.actions.v2.call.make<{ CALL_ID: string; CRM_ENTITY_ID: number }>({
      method: 'telephony.externalcall.register',
      params: {
        USER_ID: 1,
        PHONE_NUMBER: '79161234567',
        TYPE: 1,
        SHOW: 0,
        CRM_ENTITY_TYPE: 'LEAD',
        CRM_ENTITY_ID: 1,
      },
    });
    const callId = registered.getData()?.result.CALL_ID;
    await b24.actions.v2.call.make({
      method: 'telephony.externalcall.finish',
      params: { CALL_ID: callId, USER_ID: 1, DURATION: 17, STATUS_CODE: '200' },
    });
    expect(sim.state.activities()).toEqual([expect.objectContaining({ callId, ownerId: 1, duration: 17 })]);
  });

  it('refreshes on 401 expired_token, retries the call and hands over the rotated tokens', async () => {
    const clock = new ManualClock();
    const sim = await startSim({ clock });
    const { b24, auth, refreshed } = await oauthClient(sim);
    // Only the simulator's clock moves: the SDK still believes its token valid and learns from the 401.
    clock.advance(3_600_000);
    const profile = await b24.actions.v2.call.make<{ ID: string }>({ method: 'profile' });
    expect(profile.getData()?.result.ID).toBe('1');
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]?.refreshToken).not.toBe(auth.refresh_token);
    expect(refreshed[0]?.accessToken).not.toBe(auth.access_token);
  });

  it('surfaces a revoked refresh token as JSSDK_UNKNOWN_ERROR wrapping RefreshTokenError', async () => {
    const clock = new ManualClock();
    const sim = await startSim({ clock });
    const { b24, app, auth } = await oauthClient(sim);
    // Another instance used the one-time refresh token first.
    const used = await fetch(`${sim.url}/oauth/token/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        refresh_token: auth.refresh_token ?? '',
      }),
    });
    expect(used.status).toBe(200);
    clock.advance(3_600_000);
    const error = await b24.actions.v2.call.make({ method: 'profile' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'JSSDK_UNKNOWN_ERROR' });
    expect((error as { originalError?: unknown }).originalError).toBeInstanceOf(RefreshTokenError);
  });
});
