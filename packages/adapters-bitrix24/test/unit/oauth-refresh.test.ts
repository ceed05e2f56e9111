import { AuthError, TransientError } from '@prozvon/sdk';
import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createBitrix24Crm, type RefreshedTokens } from '../../src/index.js';
import { byMethod, fakePortal, OAUTH_SERVER, oauthAuth, PORTAL } from './fake-portal.js';

const portal = fakePortal();

const partnerFound = byMethod({ 'crm.company.list': [{ ID: '12', TITLE: 'П', UF_CRM_PROZVON_REF: 'p-42' }] });

// Token refresh is the SDK's (BITRIX24.md §8); the adapter persists what it gets and sees through
// the way a failed refresh is wrapped.
describe('OAuth tokens', () => {
  it('refreshes an expired token before the call and hands the rotated pair over', async () => {
    portal.reply(partnerFound);
    const refreshed: RefreshedTokens[] = [];
    const crm = createBitrix24Crm({
      auth: {
        ...oauthAuth({ expires: Math.floor(Date.now() / 1000) - 10 }),
        onTokensRefreshed: (t) => void refreshed.push(t),
      },
    });
    expect(await crm.findPartner('p-42')).toMatchObject({ id: '12' });
    expect(Object.fromEntries(portal.tokenRequests[0] ?? [])).toEqual({
      grant_type: 'refresh_token',
      client_id: 'app.1',
      client_secret: 'secret-1',
      refresh_token: 'refresh-1',
    });
    expect(portal.sent.map((r) => r.auth)).toEqual(['access-2']);
    expect(refreshed).toEqual([
      expect.objectContaining({ accessToken: 'access-2', refreshToken: 'refresh-2', memberId: 'member-1' }),
    ]);
  });

  it('refreshes on 401 expired_token and repeats the request', async () => {
    portal.reply((request, attempt) =>
      attempt === 1
        ? HttpResponse.json(
            { error: 'expired_token', error_description: 'The access token provided has expired.' },
            { status: 401 },
          )
        : partnerFound(request, attempt),
    );
    const crm = createBitrix24Crm({ auth: oauthAuth() });
    expect(await crm.findPartner('p-42')).toMatchObject({ id: '12' });
    expect(portal.sent.map((r) => r.auth)).toEqual(['access-1', 'access-2']);
    expect(portal.tokenRequests).toHaveLength(1);
  });

  it('turns a refused refresh (invalid_grant, wrapped in AjaxError by the SDK) into AuthError', async () => {
    portal.replyToken(() =>
      HttpResponse.json(
        { error: 'invalid_grant', error_description: 'Refresh token is expired' },
        { status: 400 },
      ),
    );
    const crm = createBitrix24Crm({ auth: oauthAuth({ expires: 0 }) });
    const error = await crm.findPartner('p-42').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain('token refresh failed');
    expect(portal.sent).toHaveLength(0);
  });

  it('turns a refresh answered 200 with an error body into AuthError', async () => {
    portal.replyToken(() =>
      HttpResponse.json({ error: 'invalid_client', error_description: 'Invalid client' }),
    );
    const crm = createBitrix24Crm({ auth: oauthAuth({ expires: 0 }) });
    await expect(crm.findPartner('p-42')).rejects.toBeInstanceOf(AuthError);
  });

  it('turns PAYMENT_REQUIRED from the OAuth server into AuthError', async () => {
    portal.replyToken(() =>
      HttpResponse.json(
        { error: 'PAYMENT_REQUIRED', error_description: 'Payment required' },
        { status: 402 },
      ),
    );
    const crm = createBitrix24Crm({ auth: oauthAuth({ expires: 0 }) });
    await expect(crm.findPartner('p-42')).rejects.toBeInstanceOf(AuthError);
  });

  it.each([
    ['unreachable', () => HttpResponse.error()],
    ['answering 503', () => new HttpResponse('down', { status: 503 })],
  ])(
    'an OAuth server %s is a TransientError: the lead waits, it does not go to manual',
    async (_name, reply) => {
      portal.replyToken(reply);
      const crm = createBitrix24Crm({ auth: oauthAuth({ expires: 0 }) });
      const error = await crm.findPartner('p-42').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransientError);
      expect((error as Error).message).toContain('token refresh failed');
    },
  );

  it("uses the app's own refresh instead of the SDK's, and still hands the pair over", async () => {
    portal.reply(partnerFound);
    const refreshed: RefreshedTokens[] = [];
    const mine: RefreshedTokens = {
      accessToken: 'access-mine',
      refreshToken: 'refresh-mine',
      expires: Math.floor(Date.now() / 1000) + 3600,
      memberId: 'member-1',
      domain: 'shop.bitrix24.test',
      clientEndpoint: `${PORTAL}/rest/`,
      serverEndpoint: `${OAUTH_SERVER}/rest/`,
    };
    let calls = 0;
    const crm = createBitrix24Crm({
      auth: {
        ...oauthAuth({ expires: 0 }),
        refresh: async () => {
          calls++;
          return mine;
        },
        onTokensRefreshed: (t) => void refreshed.push(t),
      },
    });
    await Promise.all([crm.findPartner('p-42'), crm.findLeadByKey('k').catch(() => null)]);
    expect(calls).toBe(1);
    expect(portal.tokenRequests).toHaveLength(0);
    expect(portal.sent.map((r) => r.auth)).toEqual(['access-mine']);
    expect(refreshed).toEqual([mine]);
  });

  it("passes on the PortError the app's own refresh throws", async () => {
    const revoked = new AuthError('the portal uninstalled the app');
    const crm = createBitrix24Crm({
      auth: {
        ...oauthAuth({ expires: 0 }),
        refresh: async () => {
          throw revoked;
        },
      },
    });
    await expect(crm.findPartner('p-42')).rejects.toBe(revoked);
  });
});
