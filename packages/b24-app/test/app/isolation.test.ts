import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Portal } from '../../src/portals/portal-store.js';
import { PATHS } from '../../src/server.js';
import { SECRET_NAMES } from '../../src/settings/portal-providers.js';
import { type AppFixture, startAppFixture } from './app-fixture.js';
import { eventually, postForm, submitCorezoid, submitIntake } from './app-requests.js';

// Two portals on one app: nothing one of them holds opens the other's door, and a request that
// carries no valid credential changes nothing (the security requirements).

let fixture: AppFixture;
let a: Portal;
let b: Portal;
const secretOf = (portal: Portal) => portal.secrets[SECRET_NAMES.intake] ?? '';

beforeAll(async () => {
  fixture = await startAppFixture({ portals: ['a', 'b'], voice: true });
  a = await fixture.install('a');
  b = await fixture.install('b');
}, 60_000);
afterAll(async () => fixture?.close());

const row = (portal: Portal) => fixture.app.portals.getByMemberId(portal.memberId);
const eventBody = (event: string, memberId: string, token: string, data = 'data[FIELDS][ID]=1') =>
  `event=${event}&${data}&auth[member_id]=${encodeURIComponent(memberId)}&auth[application_token]=${encodeURIComponent(token)}`;

describe('two portals are isolated', () => {
  it('A’s intake secret posting to B’s URL is 401 and makes no lead', async () => {
    const before = fixture.leadCounts();
    const crmBefore = fixture.sim.state.leads('b').length;
    const answer = await submitIntake(fixture, b.portalKey, secretOf(a), {
      name: 'Анна',
      phone: '+79160000001',
    });
    expect(answer.status).toBe(401);
    expect(fixture.leadCounts()).toEqual(before);
    expect(fixture.sim.state.leads('b')).toHaveLength(crmBefore);
  });

  it('the Corezoid URL with A’s key and B’s secret is refused', async () => {
    const before = fixture.leadCounts();
    const answer = await submitCorezoid(fixture, a.portalKey, secretOf(b), {
      name: 'Анна',
      phone: '+79160000001',
    });
    expect(answer.status).toBe(401);
    expect(answer.body.request_proc).toBe('access_denied');
    expect(fixture.leadCounts()).toEqual(before);
  });

  it('A’s application_token with B’s member_id is refused on the events URL, audited', async () => {
    const beforeB = await row(b);
    const audits = fixture.logs.length;
    for (const event of ['ONAPPUNINSTALL', 'ONCRMLEADADD', 'ONOFFLINEEVENT']) {
      expect(
        await postForm(fixture, PATHS.events, eventBody(event, b.memberId, a.applicationToken ?? '')),
      ).toBe(401);
    }
    await fixture.app.idle();
    expect(await row(b)).toEqual(beforeB);
    const refused = fixture.logs.slice(audits).filter((line) => line.audit === 'event_refused');
    expect(refused).toHaveLength(3);
    expect(refused.every((line) => line.reason === 'bad_token' && line.memberId === b.memberId)).toBe(true);
  });

  it('an event with a wrong application_token is 401, an audit line, and changes nothing', async () => {
    const beforeA = await row(a);
    const leads = fixture.leadCounts();
    const requests = fixture.sim.state.portal('a').leads.all().length;
    const from = fixture.logs.length;
    const wrong = `${a.applicationToken ?? ''}x`;
    expect(
      await postForm(fixture, PATHS.events, eventBody('ONAPPUNINSTALL', a.memberId, wrong, 'data[CLEAN]=1')),
    ).toBe(401);
    expect(await postForm(fixture, PATHS.events, eventBody('ONCRMLEADADD', a.memberId, wrong))).toBe(401);
    // Same length, one character off: the comparison is of the whole token.
    const sameLength = `${(a.applicationToken ?? '').slice(0, -1)}${(a.applicationToken ?? '').endsWith('0') ? '1' : '0'}`;
    expect(await postForm(fixture, PATHS.events, eventBody('ONAPPUNINSTALL', a.memberId, sameLength))).toBe(
      401,
    );
    // No token at all, and an unknown portal.
    expect(await postForm(fixture, PATHS.events, `event=ONAPPUNINSTALL&auth[member_id]=${a.memberId}`)).toBe(
      401,
    );
    expect(await postForm(fixture, PATHS.events, eventBody('ONAPPUNINSTALL', 'unknown-member', wrong))).toBe(
      401,
    );
    await fixture.app.idle();
    expect(await row(a)).toEqual(beforeA);
    expect(fixture.leadCounts()).toEqual(leads);
    expect(fixture.sim.state.portal('a').leads.all()).toHaveLength(requests);
    const refused = fixture.logs.slice(from).filter((line) => line.audit === 'event_refused');
    expect(refused.map((line) => line.reason)).toEqual([
      'bad_token',
      'bad_token',
      'bad_token',
      'malformed',
      'unknown_portal',
    ]);
    expect(refused.every((line) => line.level === 40)).toBe(true);
  });

  it('a forged voice result on A’s URL is refused and leaves the lead as it was', async () => {
    const vox = fixture.vox;
    if (vox === undefined) throw new Error('voice simulator expected');
    const submitted = await submitIntake(fixture, a.portalKey, secretOf(a), {
      name: 'Вера',
      phone: '+79160000007',
    });
    expect(submitted.status).toBe(202);
    const leadId = submitted.body.leadId ?? '';
    // The call really happens: the scenario posts its signed result to /voice/<A's key>.
    const result = await eventually(
      () =>
        vox.state.callbacks.find(
          (request) => 'X-Prozvon-Signature' in request.headers && request.code === 200,
        ),
      (found) => found !== undefined,
      'a signed voice result accepted',
    );
    if (result === undefined || result.body === null) throw new Error('no result');
    expect(new URL(result.url).pathname).toBe(`/voice/${a.portalKey}`);
    await vox.state.settled();
    // The lead settles after its result (CRM updates run from the outbox).
    const settled = async () => {
      const lead = await fixture.app.host.getLead(a.memberId, leadId);
      return lead === null ? null : { ...lead, leaseOwner: null, leaseUntil: null };
    };
    let before = await settled();
    await eventually(
      async () => {
        const previous = before;
        before = await settled();
        // Finished: an answered call's record is written to the CRM after its result, and a lead
        // read between two polls of that write looked settled while it was not.
        return JSON.stringify(previous) === JSON.stringify(before) && before?.finished === true;
      },
      (stable) => stable,
      'the lead settled',
    );

    const post = (path: string, headers: Record<string, string>, body: string) =>
      fetch(`${fixture.config.publicUrl}${path}`, { method: 'POST', headers, body }).then((r) => r.status);
    const headers = {
      ...result.headers,
      'X-Prozvon-Timestamp': String(Number(result.headers['X-Prozvon-Timestamp']) + 1),
    };
    const aPath = PATHS.voice.replace(':portalKey', a.portalKey);
    // A signature of nothing, a tampered body under the real signature, a fresh timestamp under it.
    expect(
      await post(aPath, { ...headers, 'X-Prozvon-Signature': `v1=${'0'.repeat(64)}` }, result.body),
    ).toBe(401);
    expect(await post(aPath, result.headers, result.body.replace('"answered"', '"nodial"'))).toBe(401);
    expect(await post(aPath, headers, result.body)).toBe(401);
    // The genuine result again: acknowledged as a duplicate, not delivered twice.
    expect(await post(aPath, result.headers, result.body)).toBe(200);
    // A's genuine result sent to B's URL: B's secret does not sign it.
    const bPath = PATHS.voice.replace(':portalKey', b.portalKey);
    expect(await post(bPath, result.headers, result.body)).toBe(401);
    await fixture.app.idle();
    expect(await settled()).toEqual(before);
  });
});
