import { TransientError } from '@prozvon/sdk';
import { describe, expect, it } from 'vitest';
import { OAuthRefusal, requestTokenRefresh, tokenUrl } from '../../src/oauth/oauth-token-request.js';

const app = { clientId: 'local.abc', clientSecret: 'secret-123' };
const NOW = Date.UTC(2026, 11, 7, 8, 0, 0);

/** A fetch that answers `status` with `body` and keeps what it was sent. */
function fakeFetch(status: number, body: unknown) {
  const sent: Request[] = [];
  const fetch = async (input: URL | string | Request, init?: RequestInit) => {
    sent.push(new Request(input, init));
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  };
  return { fetch: fetch as typeof globalThis.fetch, sent };
}

describe('requestTokenRefresh: the wire format of a refresh (BITRIX24.md §2.3, §8)', () => {
  it('POSTs the refresh_token grant as a form to the server endpoint minus rest/', async () => {
    const { fetch, sent } = fakeFetch(200, {
      access_token: 'new-access',
      refresh_token: 'new-refresh',
      expires: NOW / 1000 + 3600,
      expires_in: 3600,
      member_id: 'm',
    });
    const pair = await requestTokenRefresh('https://oauth.bitrix.info/rest/', app, 'old-refresh', NOW, {
      fetch,
    });
    expect(pair).toEqual({
      accessToken: 'new-access',
      refreshToken: 'new-refresh',
      expiresAt: NOW + 3_600_000,
      // Whose tokens they are, as the OAuth server says: what the install page checks.
      memberId: 'm',
    });
    const [request] = sent;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('https://oauth.bitrix.info/oauth/token/');
    expect(request?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(await request?.text()))).toEqual({
      grant_type: 'refresh_token',
      client_id: 'local.abc',
      client_secret: 'secret-123',
      refresh_token: 'old-refresh',
    });
  });

  it('takes expires_in when the answer has no expires', async () => {
    const { fetch } = fakeFetch(200, { access_token: 'a', refresh_token: 'r', expires_in: '1800' });
    const pair = await requestTokenRefresh('https://oauth.bitrix24.tech/rest/', app, 'r0', NOW, { fetch });
    expect(pair.expiresAt).toBe(NOW + 1_800_000);
  });

  it('an error body is a refusal with its code; a 5xx or a non-grant is transient', async () => {
    const refused = requestTokenRefresh('https://o.test/rest/', app, 'r', NOW, {
      fetch: fakeFetch(400, { error: 'invalid_grant', error_description: 'Invalid refresh token' }).fetch,
    });
    await expect(refused).rejects.toBeInstanceOf(OAuthRefusal);
    await expect(refused).rejects.toMatchObject({ code: 'invalid_grant', status: 400 });
    for (const [status, body] of [
      [502, '<html>Bad gateway</html>'],
      [503, { error: 'SERVICE_UNAVAILABLE' }],
      [200, { result: 'no tokens' }],
    ] as const) {
      await expect(
        requestTokenRefresh('https://o.test/rest/', app, 'r', NOW, { fetch: fakeFetch(status, body).fetch }),
      ).rejects.toBeInstanceOf(TransientError);
    }
    const unreachable = async () => {
      throw new TypeError('fetch failed');
    };
    await expect(
      requestTokenRefresh('https://o.test/rest/', app, 'r', NOW, { fetch: unreachable }),
    ).rejects.toBeInstanceOf(TransientError);
  });

  it('never sends the client secret over plain http', () => {
    expect(tokenUrl('https://127.0.0.1:8443/rest/').href).toBe('https://127.0.0.1:8443/oauth/token/');
    expect(() => tokenUrl('http://oauth.example/rest/')).toThrow(/must be https/);
  });
});
