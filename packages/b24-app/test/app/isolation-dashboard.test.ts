import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Portal } from '../../src/portals/portal-store.js';
import { SECRET_NAMES } from '../../src/settings/portal-providers.js';
import { api, type Caller, userToken } from '../settings/api-client.js';
import { type AppFixture, startAppFixture } from './app-fixture.js';
import { eventually, submitIntake } from './app-requests.js';

// The dashboard and "it was a person" on two portals of one app: each portal's numbers are its
// own, and another portal's credentials neither read them nor mark its leads.

let fixture: AppFixture;
let a: Portal;
let b: Portal;
let callerA: Caller;
let callerB: Caller;
const ids: Record<string, string> = {};

const submit = async (portal: Portal, name: string, body: Record<string, unknown>) => {
  const answer = await submitIntake(fixture, portal.portalKey, portal.secrets[SECRET_NAMES.intake] ?? '', {
    name,
    ...body,
  });
  expect(answer.status).toBe(202);
  ids[name] = answer.body.leadId ?? '';
};

/** The lead's dashboard columns once its calling ended, through the lead tab's API. */
const ended = (caller: Caller, leadId: string) =>
  eventually(
    async () => (await api(fixture, caller, 'GET', `/api/portal/leads/${leadId}`)).body?.facts,
    (facts) => typeof facts?.outcome === 'string',
    `lead ${leadId}'s calling ended`,
  );

/** The last week, up to now (the app's clock is the real one). */
const WEEK = 7 * 86_400_000;
let since = 0;
const dashboard = (caller: Caller | null, query = 'groupBy=partner') =>
  api(fixture, caller, 'GET', `/api/portal/dashboard?from=${since}&${query}`);

beforeAll(async () => {
  since = Date.now() - WEEK;
  fixture = await startAppFixture({ portals: ['a', 'b'], calls: { '79160000002': 'answering-machine' } });
  a = await fixture.install('a');
  b = await fixture.install('b');
  callerA = { token: await userToken(fixture, { portal: 'a' }), memberId: a.memberId };
  callerB = { token: await userToken(fixture, { portal: 'b' }), memberId: b.memberId };
  const shop = { partnerCode: 'P1', site: 'a.example', currency: 'RUB' };
  await submit(a, 'answered', { phone: '+79160000001', orderSum: 1000, ...shop });
  await submit(a, 'machine', { phone: '+79160000002', orderSum: 500, ...shop });
  await submit(b, 'other', { phone: '+79160000003', partnerCode: 'PB', orderSum: 7, currency: 'RUB' });
  expect((await ended(callerA, ids.answered ?? '')).outcome).toBe('answered');
  expect((await ended(callerA, ids.machine ?? '')).outcome).toBe('machine');
  await ended(callerB, ids.other ?? '');
}, 60_000);
afterAll(async () => fixture?.close());

describe('the dashboard API on two portals', () => {
  it('counts each portal’s own leads only', async () => {
    const ofA = await dashboard(callerA);
    expect(ofA.status).toBe(200);
    expect(ofA.body).toMatchObject({
      from: since,
      groupBy: 'partner',
      timeZone: 'Europe/Moscow',
      total: {
        leads: 2,
        orderSums: [{ currency: 'RUB', leads: 2, total: 1500, average: 750 }],
        outcomes: { answered: 1, machine: 1 },
        machine: { outcomes: 1, markedPerson: 0, markRate: 0 },
      },
    });
    expect(ofA.body.total.speed.firstRing.leads).toBe(2);
    expect(ofA.body.total.speed.answer.leads).toBe(1);
    expect(ofA.body.groups.map((g: { key: string }) => g.key)).toEqual(['P1']);
    expect(ofA.text).not.toContain('PB');
    const days = ofA.body.days as { leads: number }[];
    expect(days.reduce((sum, day) => sum + day.leads, 0)).toBe(2);

    const ofB = await dashboard(callerB, 'groupBy=site');
    expect(ofB.body.total).toMatchObject({ leads: 1, orderSums: [{ total: 7 }] });
    expect(ofB.body.groups.map((g: { key: string | null }) => g.key)).toEqual([null]);
  });

  // A token is checked at the named portal's own endpoint (frame-auth.test.ts), which in Bitrix24
  // refuses another portal's token; the simulator serves every portal on one endpoint, so one
  // portal's token naming the other cannot be shown refused here.
  it('answers 401 without the frame’s auth', async () => {
    const refused = await dashboard(null);
    expect(refused.status).toBe(401);
    expect(refused.text).not.toContain('"leads"');
  });

  it('names the wrong field of a bad query', async () => {
    const issues = async (query: string) => {
      const answer = await api(fixture, callerA, 'GET', `/api/portal/dashboard?${query}`);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe('invalid_request');
      return answer.body.issues.map((issue: { path: string }) => issue.path);
    };
    expect(await issues('groupBy=city')).toEqual(['groupBy']);
    expect(await issues('from=yesterday')).toEqual(['from']);
    expect(await issues('timeZone=Mars/Olympus')).toEqual(['timeZone']);
    expect(await issues('from=2000&to=1000')).toEqual(['to']);
    expect(await issues(`from=0&to=${400 * 86_400_000}`)).toEqual(['from']);
    expect(await issues('limit=5')).toEqual(['(body)']);
  });

  it('"it was a person": another portal’s user cannot mark, the portal’s own marks once', async () => {
    const path = `/api/portal/leads/${ids.machine}/machine-was-person`;
    expect((await api(fixture, callerB, 'POST', path)).status).toBe(404);
    expect((await api(fixture, null, 'POST', path)).status).toBe(401);
    expect((await dashboard(callerA)).body.total.machine.markedPerson).toBe(0);

    const marked = await api(fixture, callerA, 'POST', path);
    expect(marked.status).toBe(200);
    expect(marked.body).toMatchObject({ outcome: 'marked', by: expect.stringMatching(/^b24user:/) });
    const again = await api(fixture, callerA, 'POST', path);
    expect(again.body).toEqual({ ...marked.body, outcome: 'already_marked' });
    const answered = await api(
      fixture,
      callerA,
      'POST',
      `/api/portal/leads/${ids.answered}/machine-was-person`,
    );
    expect(answered.status).toBe(409);
    expect(answered.body).toEqual({ outcome: 'not_machine', leadOutcome: 'answered' });

    expect((await dashboard(callerA)).body.total.machine).toEqual({
      outcomes: 1,
      markedPerson: 1,
      markRate: 1,
    });
    expect((await dashboard(callerB)).body.total.machine).toEqual({
      outcomes: 0,
      markedPerson: 0,
      markRate: null,
    });
    const detail = await api(fixture, callerA, 'GET', `/api/portal/leads/${ids.machine}`);
    expect(detail.body.facts).toMatchObject({
      machinePersonAt: marked.body.at,
      machinePersonBy: marked.body.by,
    });
    expect(
      detail.body.audit.filter(
        (entry: { detail: { event?: string } }) => entry.detail?.event === 'MACHINE_WAS_PERSON',
      ),
    ).toHaveLength(1);
  });
});
