import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Portal } from '../../src/portals/portal-store.js';
import { API_PATHS } from '../../src/settings/settings-api.js';
import { type AppFixture, startAppFixture } from '../app/app-fixture.js';
import { type FuzzRequest, fuzzPathKey, fuzzRequest, sendRaw } from '../app/fuzz-bodies.js';
import { userToken } from './api-client.js';

// The settings API on fuzzed requests: whatever the body, its type, its size or the ids in the
// path and query, never a 5xx; without the portal user's own token nothing changes.

const RUNS = 300;
let fixture: AppFixture;
let a: Portal;
let b: Portal;
let adminOfA: Record<string, string>;

beforeAll(async () => {
  fixture = await startAppFixture({ portals: ['a', 'b'] });
  a = await fixture.install('a');
  b = await fixture.install('b');
  adminOfA = {
    authorization: `Bearer ${await userToken(fixture, { portal: 'a' })}`,
    'x-prozvon-portal': a.memberId,
  };
}, 60_000);
afterAll(async () => fixture?.close());

const hints = () => ({ values: [a.memberId, b.memberId, a.portalKey, 'tenant', 'providers', 'secrets'] });
const leadId = fuzzPathKey(['01a25046-4a80-7836-b52d-e701e10f02e4', 'x']);
/** Every route and method of the API, with its ids and query fuzzed. */
const routes = fc.oneof(
  fc.constant(['PUT', API_PATHS.settings] as const),
  fc.constant(['GET', API_PATHS.settings] as const),
  fc.constant(['POST', API_PATHS.rotateIntakeSecret] as const),
  fc.constant(['POST', API_PATHS.connectVoximplant] as const),
  fc.string({ maxLength: 60 }).map((q) => ['GET', `${API_PATHS.leads}?${q}`] as const),
  fc
    .tuple(fc.constantFrom('state', 'from', 'to', 'cursor', 'limit'), fc.string({ maxLength: 40 }))
    .map(([name, value]) => ['GET', `${API_PATHS.leads}?${name}=${encodeURIComponent(value)}`] as const),
  leadId.map((id) => ['GET', API_PATHS.lead.replace(':leadId', id)] as const),
  leadId.map((id) => ['POST', API_PATHS.retryCrm.replace(':leadId', id)] as const),
  leadId.map((id) => ['POST', API_PATHS.cancelCalls.replace(':leadId', id)] as const),
  leadId.map((id) => ['POST', API_PATHS.callNow.replace(':leadId', id)] as const),
  fuzzPathKey(['1', '42', '999999999999', 'x']).map(
    (id) => ['GET', API_PATHS.crmLead.replace(':crmLeadId', id)] as const,
  ),
  fc.constant(['POST', API_PATHS.testSms] as const),
  fc.constant(['POST', API_PATHS.testTelegram] as const),
  fc.constant(['POST', API_PATHS.testCall] as const),
  leadId.map((id) => ['POST', API_PATHS.machineWasPerson.replace(':leadId', id)] as const),
  fc
    .tuple(fc.constantFrom('from', 'to', 'groupBy', 'timeZone'), fc.string({ maxLength: 40 }))
    .map(([name, value]) => ['GET', `${API_PATHS.dashboard}?${name}=${encodeURIComponent(value)}`] as const),
  fc.string({ maxLength: 60 }).map((q) => ['GET', `${API_PATHS.dashboard}?${q}`] as const),
  fc
    .tuple(fc.constantFrom('limit', 'before'), fc.string({ maxLength: 40 }))
    .map(([name, value]) => ['GET', `${API_PATHS.restLog}?${name}=${encodeURIComponent(value)}`] as const),
);

/** The test buttons reach the providers: a provider's refusal is their 502, not a fault of ours. */
const PROVIDER_TESTS: readonly string[] = [API_PATHS.testSms, API_PATHS.testTelegram, API_PATHS.testCall];

/** Credentials that are not a user of portal A: none, forged, B's member id, garbage. */
const strangers = () =>
  fc.oneof(
    fc.constant({}),
    fc.constant({ authorization: 'Bearer forged', 'x-prozvon-portal': a.memberId }),
    fc.string({ maxLength: 80 }).map((token) => ({
      authorization: `Bearer ${token.replace(/[^\x20-\x7e]/g, '')}`,
      'x-prozvon-portal': a.memberId,
    })),
    fc.constant({ authorization: 'Basic eDp5', 'x-prozvon-portal': b.memberId }),
  );

const send = (method: string, path: string, request: FuzzRequest) =>
  sendRaw(fixture.config.publicUrl, method, path, request);

async function stored() {
  const rows = await Promise.all([a, b].map((portal) => fixture.app.portals.getByMemberId(portal.memberId)));
  return rows.map((row) => ({
    settings: row?.settings,
    secrets: row?.secrets,
    changedAt: row?.settingsChangedAt,
  }));
}

describe('the settings API on fuzzed requests', () => {
  it('without the portal user’s own token: refused, nothing changed', async () => {
    const before = await stored();
    await fc.assert(
      fc.asyncProperty(
        routes,
        fuzzRequest(hints()),
        strangers(),
        async ([method, path], request, headers) => {
          const status = await send(method, path, {
            ...request,
            headers: { ...request.headers, ...headers },
          });
          expect(status, `${method} ${path}`).toBeLessThan(500);
          if (status < 400) expect.fail(`${method} ${path} answered ${status} to a stranger`);
        },
      ),
      { numRuns: RUNS },
    );
    expect(await stored()).toEqual(before);
  }, 120_000);

  it('with an administrator’s token: never a 5xx, and B is never touched', async () => {
    const [, bBefore] = await stored();
    // Not Voximplant connect: a well-formed one would be sent to Voximplant's own API; not the
    // test buttons, whose well-formed requests send an SMS or a message (provider-tests.test.ts).
    const owned = routes.filter(
      ([, path]) => path !== API_PATHS.connectVoximplant && !PROVIDER_TESTS.includes(path),
    );
    await fc.assert(
      fc.asyncProperty(owned, fuzzRequest(hints()), async ([method, path], request) => {
        // A settings save takes If-Match (428 without): `*`, so the body is what is fuzzed.
        const ifMatch: Record<string, string> = method === 'PUT' ? { 'if-match': '*' } : {};
        const status = await send(method, path, {
          ...request,
          headers: { ...request.headers, ...adminOfA, ...ifMatch },
        });
        expect(status, `${method} ${path} ${request.contentType}`).toBeLessThan(500);
      }),
      { numRuns: RUNS },
    );
    expect((await stored())[1]).toEqual(bBefore);
    expect(fixture.logs.filter((line) => line.msg === 'request failed')).toEqual([]);
  }, 120_000);
});
