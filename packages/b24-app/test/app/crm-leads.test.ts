import { AcceleratedClock } from '@prozvon/sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AppFixture, startAppFixture } from './app-fixture.js';

/** Waits until `check` holds, polling; fails with `what` after `ms`. */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const ALL_DAY = { from: '00:00', to: '24:00' };
const OPEN = {
  customerQuietHours: null,
  week: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY },
};

async function installOpen(fixture: AppFixture, portal = 'shop'): Promise<string> {
  await fixture.sim.installApp(fixture.b24App.clientId, { portal });
  const memberId = fixture.sim.portal(portal).memberId;
  await fixture.app.portals.updateSettings(
    memberId,
    { settings: { tenant: { hours: OPEN }, providers: {} } },
    { by: 'test', at: Date.now() },
  );
  fixture.app.tenants.forget(memberId);
  return memberId;
}

const dialled = (fixture: AppFixture) => fixture.voximplant?.state.calls.map((call) => call.number) ?? [];

describe('leads that reach Bitrix24 another way are called back', () => {
  let fixture: AppFixture;
  afterEach(async () => fixture?.close());

  it('a lead from a Bitrix24 web form: ONCRMLEADADD → called, the call on its card; Prozvon’s own leads are not taken twice', async () => {
    fixture = await startAppFixture({ calls: true });
    const memberId = await installOpen(fixture);
    const crmId = fixture.sim.addFormLead({
      NAME: 'Анна',
      PHONE: [{ VALUE: '+7 916 000-00-01', VALUE_TYPE: 'WORK' }],
    });
    await until('the form lead is dialled', () => dialled(fixture).length === 1);
    expect(dialled(fixture)[0]).toContain('79160000001');
    await until('the call is on the lead card', () =>
      fixture.sim.state.calls().some((call) => call.crmEntityId === crmId && call.finished !== null),
    );
    // A lead through the intake URL is created by Prozvon; its ONCRMLEADADD echo is not a second lead.
    const portal = await fixture.app.portals.getByMemberId(memberId);
    const response = await fetch(`${fixture.config.publicUrl}/p/${portal?.portalKey}/leads`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${portal?.secrets['intake.secret']}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ name: 'Вера', phone: '+7 916 000-00-05' }),
    });
    expect(response.status).toBe(202);
    await until('the intake lead is dialled', () => dialled(fixture).length === 2);
    await until('its CRM lead exists', () => fixture.sim.state.leads().length === 2);
    await fixture.sim.idle();
    await fixture.app.idle();
    expect(dialled(fixture)).toHaveLength(2);
  });

  it('missed events are recovered: leads added while the app was down are all called after it starts', async () => {
    fixture = await startAppFixture({ calls: true });
    await installOpen(fixture);
    fixture.sim.finishInstall(fixture.b24App.clientId);
    await fixture.app.stop();
    const ids = ['01', '02', '03'].map((n) =>
      fixture.sim.addFormLead({
        NAME: `Клиент ${n}`,
        PHONE: [{ VALUE: `+7 916 111-11-${n}`, VALUE_TYPE: 'WORK' }],
      }),
    );
    await fixture.sim.idle(); // the online events went nowhere
    await fixture.restart();
    await until('every missed lead is dialled', () => dialled(fixture).length === ids.length);
    expect(new Set(dialled(fixture)).size).toBe(3);
    // The offline queue is cleared once the leads are committed; a second drain takes nothing.
    await fixture.app.drain.drainAll();
    await fixture.app.idle();
    expect(dialled(fixture)).toHaveLength(3);
  });

  it('ONEXTERNALCALLBACKSTART: a callback request through the portal’s widget rings once', async () => {
    fixture = await startAppFixture({ calls: true });
    await installOpen(fixture);
    fixture.sim.requestCallback({
      clientId: fixture.b24App.clientId,
      phone: '+7 916 000-00-09',
      lineNumber: 'prozvon',
      name: 'Глеб',
    });
    await until('the callback is dialled', () => dialled(fixture).length === 1);
    await fixture.sim.idle();
    await fixture.app.idle();
    expect(dialled(fixture)).toHaveLength(1);
  });
});

describe('uninstall', () => {
  let fixture: AppFixture;
  afterEach(async () => fixture?.close());

  it('a lead waiting for its retry is never called again after the portal uninstalls the app', async () => {
    // Shop time runs 60× faster, so the one-minute retry interval is a real second.
    fixture = await startAppFixture({
      calls: { '79160000004': 'no-answer' },
      app: { clock: new AcceleratedClock(60, Date.now()) },
    });
    const memberId = await installOpen(fixture);
    await fixture.app.portals.updateSettings(
      memberId,
      { settings: { tenant: { hours: OPEN, retryIntervalMinutes: 1, maxAttempts: 5 }, providers: {} } },
      { by: 'test', at: Date.now() },
    );
    fixture.app.tenants.forget(memberId);
    const crmId = fixture.sim.addFormLead({
      NAME: 'Дина',
      PHONE: [{ VALUE: '+7 916 000-00-04', VALUE_TYPE: 'WORK' }],
    });
    await until('the first attempt has ended', () =>
      fixture.sim.state.calls().some((call) => call.crmEntityId === crmId && call.finished !== null),
    );
    await fixture.sim.uninstallApp(fixture.b24App.clientId);
    await fixture.sim.idle();
    expect((await fixture.app.portals.getByMemberId(memberId))?.status).toBe('uninstalled');
    // Five retry intervals of shop time.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(dialled(fixture)).toHaveLength(1);
  });
});
