import { SimulatedClock } from '@prozvon/sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AppFixture, startAppFixture } from '../app/app-fixture.js';
import { eventually, submitIntake } from '../app/app-requests.js';
import { api, type Caller, userToken } from './api-client.js';

/** A seller (not an administrator) of the first portal, and the first user of another. */
async function callers(fixture: AppFixture) {
  fixture.sim.portal('shop').addUser({ id: 2 });
  const seller: Caller = {
    token: await userToken(fixture, { portal: 'shop', userId: 2 }),
    memberId: fixture.sim.portal('shop').memberId,
  };
  const other: Caller = {
    token: await userToken(fixture, { portal: 'other' }),
    memberId: fixture.sim.portal('other').memberId,
  };
  return { seller, other };
}

const callStateOf = async (fixture: AppFixture, caller: Caller, leadId: string) =>
  (await api(fixture, caller, 'GET', `/api/portal/leads/${leadId}`)).body?.lead?.callState as string;

describe('settings API: call a waiting lead now', () => {
  let fixture: AppFixture | undefined;
  afterEach(async () => fixture?.close());

  it('a seller has a lead waiting to retry dialled at once; another portal’s user gets 404', async () => {
    fixture = await startAppFixture({ portals: ['shop', 'other'], calls: { '79160000004': 'no-answer' } });
    const shop = await fixture.install('shop');
    await fixture.install('other');
    await fixture.app.portals.updateSettings(
      shop.memberId,
      {
        settings: {
          tenant: { ...shop.settings.tenant, retryIntervalMinutes: 60, maxAttempts: 3 },
          providers: {},
        },
      },
      { by: 'test', at: Date.now() },
    );
    fixture.app.tenants.forget(shop.memberId);
    const { seller, other } = await callers(fixture);
    const submitted = await submitIntake(fixture, shop.portalKey, shop.secrets['intake.secret'] ?? '', {
      name: 'Дина',
      phone: '+7 916 000-00-04',
    });
    const leadId = submitted.body.leadId ?? '';
    const f = fixture;
    await eventually(
      () => callStateOf(f, seller, leadId),
      (state) => state === 'call.nodial',
      'the first attempt went unanswered',
    );
    const dialled = () => f.voximplant?.state.calls.length ?? 0;
    expect(dialled()).toBe(1);

    expect((await api(fixture, other, 'POST', `/api/portal/leads/${leadId}/call-now`)).status).toBe(404);
    const called = await api(fixture, seller, 'POST', `/api/portal/leads/${leadId}/call-now`);
    expect(called.status).toBe(200);
    expect(called.body).toMatchObject({ outcome: 'applied', callState: 'call.dialing' });
    await eventually(dialled, (n) => n === 2, 'the second attempt is dialled at once');
    const detail = await api(fixture, seller, 'GET', `/api/portal/leads/${leadId}`);
    expect(JSON.stringify(detail.body.audit)).toContain('"by":"b24user:2"');
  });

  it('outside the shop’s hours: 409, why, and when calls may start', async () => {
    // 23:30 in Moscow, the default hours (09:00–21:00): the lead waits for the morning.
    const night = Date.parse('2026-11-25T20:30:00Z');
    fixture = await startAppFixture({
      portals: ['shop', 'other'],
      app: { clock: new SimulatedClock(night) },
    });
    await fixture.sim.installApp(fixture.b24App.clientId, { portal: 'shop' });
    await fixture.sim.installApp(fixture.b24App.clientId, { portal: 'other' });
    const shop = await fixture.app.portals.getByMemberId(fixture.sim.portal('shop').memberId);
    const { seller } = await callers(fixture);
    const submitted = await submitIntake(
      fixture,
      shop?.portalKey ?? '',
      shop?.secrets['intake.secret'] ?? '',
      {
        name: 'Дина',
        phone: '+7 916 000-00-04',
      },
    );
    const leadId = submitted.body.leadId ?? '';
    expect(await callStateOf(fixture, seller, leadId)).toBe('call.night');
    const refused = await api(fixture, seller, 'POST', `/api/portal/leads/${leadId}/call-now`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      outcome: 'not_applicable',
      callState: 'call.night',
      reason: 'outside_hours',
      nextWindowAt: Date.parse('2026-11-26T06:00:00Z'),
    });
  });
});
