import { describe, expect, it } from 'vitest';
import {
  checkPortalSecret,
  createCorezoidHandler,
  createPortalIntakeHandler,
  type PortalIntake,
  type PortalIntakeHandlerOptions,
} from '../../src/index.js';
import { fakeEngine, seedBody } from './seed-payload.js';

// `POST /p/<portalKey>/leads`: the SDK's intake contract per portal, its secrets (with the
// previous one during a rotation's grace period) and CORS for the shop origins it lists.

const KEY = 'pk_7Hq2xLr9';
const CURRENT = 'current-intake-secret-000000000001';
const PREVIOUS = 'previous-intake-secret-00000000002';
const GRACE_ENDS = 1_700_000_000_000;
const SHOP = 'https://watches.example';
const URL_OK = `https://app.prozvon.test/p/${KEY}/leads`;
const LEAD = JSON.stringify({ name: 'Анна', phone: '89161234567', partnerCode: 'PARTNER42' });

function portalRoute(options: Partial<PortalIntakeHandlerOptions> = {}) {
  const engine = fakeEngine();
  let now = GRACE_ENDS - 1;
  const portal: PortalIntake = {
    tenantId: 'portal-1',
    secrets: { current: CURRENT, previous: { secret: PREVIOUS, expiresAt: GRACE_ENDS } },
    origins: [`${SHOP}/`, 'https://www.watches.example', 'not an origin'],
  };
  const findPortal = async (portalKey: string) => (portalKey === KEY ? portal : null);
  const handler = createPortalIntakeHandler({
    findPortal,
    submit: engine.submit,
    now: () => now,
    ...options,
  });
  return {
    handler,
    engine,
    findPortal,
    setNow(at: number) {
      now = at;
    },
    get now() {
      return now;
    },
  };
}

const post = (headers: Record<string, string>, url = URL_OK) =>
  new Request(url, {
    method: 'POST',
    body: LEAD,
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('the portal intake: the secret', () => {
  it('takes the current secret as Bearer or X-Prozvon-Secret', async () => {
    const { handler, engine } = portalRoute();
    const bearer = await handler(post({ authorization: `Bearer ${CURRENT}` }));
    expect(bearer.status).toBe(202);
    expect(await bearer.json()).toEqual({ leadId: 'lead-1', state: 'call.dialing' });
    expect((await handler(post({ 'x-prozvon-secret': CURRENT }))).status).toBe(202);
    expect(engine.accepted.map(({ tenantId, lead }) => [tenantId, lead.partnerCode])).toEqual([
      ['portal-1', 'PARTNER42'],
      ['portal-1', 'PARTNER42'],
    ]);
  });

  it('takes the previous secret until its grace period ends, then refuses it with 401', async () => {
    const route = portalRoute();
    expect((await route.handler(post({ authorization: `Bearer ${PREVIOUS}` }))).status).toBe(202);
    expect((await route.handler(post({ 'x-prozvon-secret': PREVIOUS }))).status).toBe(202);
    route.setNow(GRACE_ENDS);
    const expired = await route.handler(post({ authorization: `Bearer ${PREVIOUS}` }));
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ error: 'unauthorized' });
    expect((await route.handler(post({ authorization: `Bearer ${CURRENT}` }))).status).toBe(202);
    expect(route.engine.accepted).toHaveLength(3);
  });

  it('refuses a wrong or missing secret with 401 and an unknown portal with 404, storing nothing', async () => {
    const { handler, engine } = portalRoute();
    expect((await handler(post({ authorization: `Bearer ${CURRENT}x` }))).status).toBe(401);
    expect((await handler(post({}))).status).toBe(401);
    const unknown = await handler(
      post({ authorization: `Bearer ${CURRENT}` }, 'https://app.prozvon.test/p/nope/leads'),
    );
    expect(unknown.status).toBe(404);
    expect(engine.accepted).toHaveLength(0);
  });

  it('answers 503 when the portal cannot be looked up', async () => {
    const errors: unknown[] = [];
    const { handler } = portalRoute({
      findPortal: async () => {
        throw new Error('database is locked');
      },
      onError: (error) => errors.push(error),
    });
    const response = await handler(post({ authorization: `Bearer ${CURRENT}` }));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(errors).toHaveLength(1);
  });
});

describe('the portal intake: CORS', () => {
  const preflight = (origin: string, method = 'POST') =>
    new Request(URL_OK, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': method,
        'access-control-request-headers': 'content-type, authorization',
      },
    });

  it('answers a listed origin’s preflight with POST and the intake headers, no credentials', async () => {
    const { handler } = portalRoute();
    for (const origin of [SHOP, 'https://www.watches.example']) {
      const response = await handler(preflight(origin));
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('access-control-allow-methods')).toBe('POST');
      expect(response.headers.get('access-control-allow-headers')).toBe(
        'Content-Type, Authorization, X-Prozvon-Secret',
      );
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      expect(response.headers.get('vary')).toBe('Origin');
    }
  });

  it.each([
    ['another site', 'https://evil.example', 'POST'],
    ['a look-alike', 'https://watches.example.evil.example', 'POST'],
    ['plain http of the shop', 'http://watches.example', 'POST'],
    ['an opaque origin', 'null', 'POST'],
    ['a listed origin asking for PUT', SHOP, 'PUT'],
  ])('refuses the preflight of %s with 403 and no CORS header', async (_case, origin, method) => {
    const { handler } = portalRoute();
    const response = await handler(preflight(origin, method));
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('echoes a listed origin on the answer, and refuses a post from an unlisted one unread', async () => {
    const { handler, engine } = portalRoute();
    const listed = await handler(post({ origin: SHOP, authorization: `Bearer ${CURRENT}` }));
    expect(listed.status).toBe(202);
    expect(listed.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(listed.headers.get('access-control-expose-headers')).toBe('Retry-After');
    const refusedSecret = await handler(post({ origin: SHOP, authorization: 'Bearer wrong' }));
    expect(refusedSecret.status).toBe(401);
    expect(refusedSecret.headers.get('access-control-allow-origin')).toBe(SHOP);

    const unlisted = await handler(
      post({ origin: 'https://evil.example', authorization: `Bearer ${CURRENT}` }),
    );
    expect(unlisted.status).toBe(403);
    expect(unlisted.headers.get('access-control-allow-origin')).toBeNull();
    // The shop's own server sends no Origin: no CORS header, the lead taken.
    const server = await handler(post({ authorization: `Bearer ${CURRENT}` }));
    expect(server.status).toBe(202);
    expect(server.headers.get('access-control-allow-origin')).toBeNull();
    expect(engine.accepted).toHaveLength(2);
  });
});

describe('the Corezoid drop-in on the portal’s secrets', () => {
  it('opens with the current or, during the grace period, the previous secret', async () => {
    const route = portalRoute();
    const engine = fakeEngine();
    const handler = createCorezoidHandler({
      checkSecret: checkPortalSecret(route.findPortal, () => route.now),
      submit: engine.submit,
    });
    const send = (secret: string) =>
      handler(
        new Request(`https://app.prozvon.test/api/1/json/public/${KEY}/${secret}`, {
          method: 'POST',
          body: seedBody(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      );
    expect((await send(CURRENT)).status).toBe(200);
    expect((await send(PREVIOUS)).status).toBe(200);
    route.setNow(GRACE_ENDS);
    expect((await send(PREVIOUS)).status).toBe(401);
    expect((await send(CURRENT)).status).toBe(200);
    expect(engine.accepted).toHaveLength(1);
  });
});
