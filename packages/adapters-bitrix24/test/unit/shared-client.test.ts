import { ApiVersion, B24OAuth } from '@bitrix24/b24jssdk';
import { PermanentError } from '@prozvon/sdk';
import { describe, expect, it } from 'vitest';
import { createBitrix24Crm, restrictionParams } from '../../src/index.js';
import { byMethod, fakePortal, OAUTH_SERVER, PORTAL } from './fake-portal.js';

const portal = fakePortal();

const partnerFound = byMethod({
  'crm.company.list': [{ ID: '12', TITLE: 'П', UF_CRM_PROZVON_REF: 'p-42' }],
  'crm.lead.list': [],
});

/** A client as the Bitrix24 app builds one per portal, with the given access token. */
function oauthClient(accessToken: string, params = restrictionParams('standard')): B24OAuth {
  return new B24OAuth(
    {
      applicationToken: '',
      userId: 1,
      memberId: 'member-1',
      accessToken,
      refreshToken: 'refresh-1',
      expires: Math.floor(Date.now() / 1000) + 3600,
      expiresIn: 3600,
      scope: 'crm',
      domain: 'shop.bitrix24.test',
      clientEndpoint: `${PORTAL}/rest/`,
      serverEndpoint: `${OAUTH_SERVER}/rest/`,
      status: 'L',
    },
    { clientId: 'app.1', clientSecret: 'secret-1' },
    { restrictionParams: params },
  );
}

// The Bitrix24 app's CRM calls and its own calls on a portal share one client, so one limiter
// counts every request the portal receives (Bitrix24 counts per portal, the SDK per client).
describe('a shared client (auth type "client")', () => {
  it('sends every batch through the client the provider gives at that moment', async () => {
    portal.reply(partnerFound);
    const first = oauthClient('access-first');
    const clients = [first];
    const crm = createBitrix24Crm({
      auth: { type: 'client', client: () => clients.at(-1) as B24OAuth, origin: `${PORTAL}/rest/` },
    });
    expect(await crm.findPartner('p-42')).toMatchObject({ id: '12' });
    expect(await crm.findLeadByKey('lead-1')).toBeNull();
    // The caller let the first client go (idle, or a reinstall): the adapter keeps none of its own.
    clients.push(oauthClient('access-second'));
    expect(await crm.findLeadByKey('lead-2')).toBeNull();
    expect(portal.sent.map((r) => r.auth)).toEqual(['access-first', 'access-first', 'access-second']);
    // The requests were counted by the shared client's own limiter and metrics, not a hidden one.
    expect(first.getHttpClient(ApiVersion.v2).getStats().totalRequests).toBe(2);
  });

  it('links lead cards to the origin given', async () => {
    portal.reply(byMethod({ 'crm.lead.list': [{ ID: '77', ORIGIN_ID: 'k-1', ORIGINATOR_ID: 'prozvon' }] }));
    const crm = createBitrix24Crm({
      auth: { type: 'client', client: () => oauthClient('access-1'), origin: `${PORTAL}/rest/` },
    });
    expect(await crm.findLeadByKey('k-1')).toEqual({ id: '77', url: `${PORTAL}/crm/lead/details/77/` });
  });

  it('refuses a client that could re-send a request of unknown fate, and sends nothing', async () => {
    const { retryOnNetworkError: _, hardErrorCodes: __, ...blind } = restrictionParams('standard');
    const crm = createBitrix24Crm({
      auth: { type: 'client', client: () => oauthClient('access-1', blind), origin: PORTAL },
    });
    const error = await crm.findPartner('p-42').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect(String(error)).toMatch(/restrictionParams/);
    expect(portal.sent).toHaveLength(0);
  });
});
