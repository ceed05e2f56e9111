import { describe, expect, it } from 'vitest';
import { oauthAuthFromInstall } from '../../src/install-auth.js';
import { bitrix24CrmOptionsSchema } from '../../src/options.js';

describe('oauthAuthFromInstall', () => {
  it("maps the portal's install auth onto the adapter's oauth option", () => {
    const auth = oauthAuthFromInstall(
      {
        access_token: 'a1',
        refresh_token: 'r1',
        expires: '1795600800',
        member_id: 'm1',
        domain: 'shop.bitrix24.ru',
        client_endpoint: 'https://shop.bitrix24.ru/rest/',
        server_endpoint: 'https://oauth.bitrix.info/rest/',
        application_token: 't1',
      },
      { clientId: 'local.1', clientSecret: 's1' },
    );
    expect(auth).toEqual({
      type: 'oauth',
      clientId: 'local.1',
      clientSecret: 's1',
      tokens: {
        accessToken: 'a1',
        refreshToken: 'r1',
        expires: 1795600800,
        memberId: 'm1',
        domain: 'shop.bitrix24.ru',
        clientEndpoint: 'https://shop.bitrix24.ru/rest/',
        serverEndpoint: 'https://oauth.bitrix.info/rest/',
        applicationToken: 't1',
      },
    });
    expect(bitrix24CrmOptionsSchema.safeParse({ auth }).success).toBe(true);
  });
});
