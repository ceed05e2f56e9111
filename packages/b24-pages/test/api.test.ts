import { describe, expect, it } from 'vitest';
import { errorText, PortalApi } from '../src/shared/api.js';

describe('PortalApi', () => {
  it('sends the user’s token and the portal, and retries a 401 once with a renewed token', async () => {
    const seen: { auth: string | null; portal: string | null }[] = [];
    const fetcher: typeof fetch = async (_input, init) => {
      const headers = new Headers(init?.headers);
      seen.push({ auth: headers.get('authorization'), portal: headers.get('x-prozvon-portal') });
      return headers.get('authorization') === 'Bearer fresh'
        ? Response.json({ ok: 1 })
        : Response.json({ error: 'unauthorized' }, { status: 401 });
    };
    const api = new PortalApi({ memberId: 'm1', token: () => 'old', refresh: async () => 'fresh' }, fetcher);
    const answer = await api.get<{ ok: number }>('/api/portal/settings');
    expect(answer).toMatchObject({ status: 200, body: { ok: 1 } });
    expect(seen).toEqual([
      { auth: 'Bearer old', portal: 'm1' },
      { auth: 'Bearer fresh', portal: 'm1' },
    ]);
  });

  it('sends a save with the version it read (If-Match), also on the retry with a renewed token', async () => {
    const seen: (string | null)[] = [];
    const fetcher: typeof fetch = async (_input, init) => {
      const headers = new Headers(init?.headers);
      seen.push(headers.get('if-match'));
      return headers.get('authorization') === 'Bearer fresh'
        ? Response.json({ version: 4 })
        : Response.json({ error: 'unauthorized' }, { status: 401 });
    };
    const api = new PortalApi({ memberId: 'm1', token: () => 'old', refresh: async () => 'fresh' }, fetcher);
    const answer = await api.put('/api/portal/settings', { tenant: {} }, { 'if-match': '"3"' });
    expect(answer).toMatchObject({ status: 200, body: { version: 4 } });
    expect(seen).toEqual(['"3"', '"3"']);
  });

  it('gives up after one renewal, and says why in words', async () => {
    let calls = 0;
    const fetcher: typeof fetch = async () => {
      calls += 1;
      return Response.json({ error: 'unauthorized' }, { status: 401 });
    };
    const api = new PortalApi({ memberId: 'm1', token: () => 't', refresh: async () => 't2' }, fetcher);
    const answer = await api.post('/api/portal/intake-secret/rotate');
    expect(calls).toBe(2);
    expect(errorText(answer)).toMatch(/did not confirm who you are/);
    expect(errorText({ status: 400, ok: false, body: { error: 'x', message: 'the provider said no' } })).toBe(
      'the provider said no',
    );
  });
});
