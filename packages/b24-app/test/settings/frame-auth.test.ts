import { describe, expect, it } from 'vitest';
import { MemoryPortalStore } from '../../src/portals/memory-portal-store.js';
import { FrameAuth } from '../../src/settings/frame-auth.js';
import type { CheckFrameUser } from '../../src/settings/user-check.js';

async function portalStore() {
  const portals = new MemoryPortalStore();
  await portals.upsertInstall({
    memberId: 'm1',
    domain: 'shop.example',
    serverEndpoint: 'https://oauth.example/rest/',
    clientEndpoint: 'https://shop.example/rest/',
    applicationToken: 'app',
    tokens: null,
    status: 'active',
    at: 0,
  });
  return portals;
}

const request = (token: string, memberId = 'm1') =>
  new Request('http://app.test/api/portal/settings', {
    headers: { authorization: `Bearer ${token}`, 'x-prozvon-portal': memberId },
  });

describe('FrameAuth', () => {
  it('asks the stored portal once per token until the cache entry lapses', async () => {
    const asked: [string, string][] = [];
    const checkUser: CheckFrameUser = async (endpoint, token) => {
      asked.push([endpoint, token]);
      return token === 'good' ? { userId: 7, admin: true } : null;
    };
    let now = 0;
    const auth = new FrameAuth({ portals: await portalStore(), checkUser, now: () => now, ttlMs: 300_000 });
    const first = await auth.authenticate(request('good'));
    expect(first).toMatchObject({ userId: 7, admin: true, by: 'b24user:7' });
    await auth.authenticate(request('good'));
    now = 299_999;
    await auth.authenticate(request('good'));
    expect(asked).toEqual([['https://shop.example/rest/', 'good']]);
    now = 300_000;
    await auth.authenticate(request('good'));
    expect(asked).toHaveLength(2);
  });

  it('answers 401 for an unknown portal without asking anyone, 503 when the portal cannot be asked', async () => {
    let calls = 0;
    const failing: CheckFrameUser = async () => {
      calls += 1;
      throw new Error('timeout');
    };
    const auth = new FrameAuth({ portals: await portalStore(), checkUser: failing });
    const unknown = await auth.authenticate(request('good', 'nobody'));
    expect(unknown instanceof Response && unknown.status).toBe(401);
    expect(calls).toBe(0);
    const down = await auth.authenticate(request('good'));
    expect(down instanceof Response && down.status).toBe(503);
  });
});
