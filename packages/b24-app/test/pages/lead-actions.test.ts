import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Portal } from '../../src/portals/portal-store.js';
import { PATHS } from '../../src/server.js';
import { type AppFixture, startAppFixture } from '../app/app-fixture.js';
import { eventually, submitIntake } from '../app/app-requests.js';
import { appFrame, chromiumLookup, launchChromium, portalContext } from './portal-browser.js';

// The lead tab's live side in Chromium, inside the simulated portal: it follows a call as it
// happens without a reload, and a seller's "call now" dials a waiting lead (or says in words why
// not, outside the shop's hours).

const NO_ANSWER_FIRST = '79160000011';
const HELD = '79160000012';
const AT_NIGHT = '79160000013';

let browser: Browser;
let fixture: AppFixture;
let portal: Portal;

beforeAll(async () => {
  if (!chromiumLookup.found) return;
  browser = await launchChromium();
  fixture = await startAppFixture({ calls: { [NO_ANSWER_FIRST]: 'no-answer' } });
  portal = await fixture.install();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await fixture?.close();
});

/** A lead from the shop's site, once the engine made its CRM lead: its ids. */
async function submitted(phone: string): Promise<{ leadId: string; crmLeadId: string }> {
  const answer = await submitIntake(fixture, portal.portalKey, portal.secrets['intake.secret'] ?? '', {
    name: 'Вера',
    phone: `+${phone}`,
  });
  expect(answer.status).toBe(202);
  const leadId = answer.body.leadId ?? '';
  const crmLeadId = await eventually(
    async () => {
      const lead = await fixture.app.host.getLead(portal.memberId, leadId);
      const context = (lead?.snapshot as { context?: { crmLeadId?: string } } | undefined)?.context;
      return context?.crmLeadId ?? '';
    },
    (id) => id !== '',
    'the lead in the CRM',
  );
  return { leadId, crmLeadId };
}

/** The lead's card tab as the portal opens it. */
async function openTab(page: Page, crmLeadId: string): Promise<FrameLocator> {
  await page.goto(
    fixture.sim.frameUrl(fixture.b24App.clientId, {
      url: `${fixture.config.publicUrl}${PATHS.leadTab}`,
      placement: 'CRM_LEAD_DETAIL_TAB',
      placementOptions: { ID: crmLeadId },
    }),
  );
  const tab = appFrame(page);
  await tab.locator('[data-call-state]').waitFor({ timeout: 20_000 });
  return tab;
}

const callState = async (leadId: string) =>
  (await fixture.app.host.getLead(portal.memberId, leadId))?.callState ?? '';

/** Calls the simulated Voximplant placed to `phone`. */
const callsTo = (phone: string) =>
  fixture.voximplant?.state.sessions.flatMap((s) => s.record.calls).filter((c) => c.number.includes(phone))
    .length ?? 0;

describe.skipIf(!chromiumLookup.found)('the lead tab, live, in Chromium inside the simulated portal', () => {
  it('follows a call while it happens, without a reload', async () => {
    const context = await portalContext(browser);
    const page = await context.newPage();
    // Hold the simulated Voximplant: its API answers 7 s late (a margin for a slow machine), so
    // the lead stays dialling while the tab opens.
    fixture.voximplant?.faults.latency(7_000);
    try {
      const { leadId, crmLeadId } = await submitted(HELD);
      const tab = await openTab(page, crmLeadId);
      expect(await tab.locator('[data-call-state]').textContent()).toMatch(/dialling|finding the partner/);
      expect(await callState(leadId)).not.toBe('call.answered');
      expect(await tab.getByText('live: refreshing').count()).toBe(1);
      // A mark in the page's window: a reload would lose it.
      await page.frames()[1]?.evaluate('window.__sameTab = true');
      await expect
        .poll(() => tab.locator('[data-call-state]').textContent(), { timeout: 20_000 })
        .toBe('answered');
      expect(await callState(leadId)).toBe('call.answered');
      expect(await page.frames()[1]?.evaluate('window.__sameTab === true')).toBe(true);
      await expect.poll(() => tab.getByText('Call 1: answered').count()).toBe(1);
      // A finished lead no longer changes: the tab stops asking.
      await expect.poll(() => tab.getByText('live: refreshing').count()).toBe(0);
    } finally {
      fixture.voximplant?.faults.reset();
      await context.close();
    }
  }, 45_000);

  it('"call now" dials a lead waiting to retry, and the tab shows the call', async () => {
    const { leadId, crmLeadId } = await submitted(NO_ANSWER_FIRST);
    await eventually(
      () => callState(leadId),
      (s) => s === 'call.nodial',
      'no answer, a retry waiting',
    );
    const waiting = await fixture.app.host.getLead(portal.memberId, leadId);
    // The retry is far off (the retry interval): only "call now" calls before it.
    expect(waiting?.wakeAt ?? 0).toBeGreaterThan(Date.now() + 60_000);
    fixture.voximplant?.phone(NO_ANSWER_FIRST, 'answers');
    expect(callsTo(NO_ANSWER_FIRST)).toBe(1);

    const context = await portalContext(browser);
    const page = await context.newPage();
    const tab = await openTab(page, crmLeadId);
    expect(await tab.locator('[data-call-state]').textContent()).toBe('no answer yet: calling again later');
    await tab.getByRole('button', { name: 'Call now' }).click();
    await expect.poll(() => tab.getByRole('status').textContent()).toBe('Calling now.');
    // The simulated Voximplant dialled the customer again; the person answered this time.
    await expect.poll(() => callsTo(NO_ANSWER_FIRST)).toBe(2);
    await expect
      .poll(() => tab.locator('[data-call-state]').textContent(), { timeout: 20_000 })
      .toBe('answered');
    await expect.poll(() => tab.getByText('Call 2: answered').count()).toBe(1);
    expect(await tab.getByText('Call 1: no answer').count()).toBe(1);
    // Who asked is on the timeline (the portal's user the frame simulator signs in as).
    expect(await tab.getByText('Call now asked').count()).toBe(1);
    expect(await tab.getByText(/^by user \d+$/).count()).toBeGreaterThan(0);
    await context.close();
  }, 45_000);

  it('"call now" outside the shop’s hours says so, and when calls may start', async () => {
    // Open an hour a day that is not now in the shop's zone.
    const hour = Number(
      new Intl.DateTimeFormat('en-GB', {
        hour: '2-digit',
        hourCycle: 'h23',
        timeZone: 'Europe/Moscow',
      }).format(new Date()),
    );
    const window = hour >= 2 ? { from: '00:00', to: '01:00' } : { from: '12:00', to: '13:00' };
    const week = Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, window]),
    );
    await fixture.app.portals.updateSettings(
      portal.memberId,
      {
        settings: {
          tenant: { hours: { timezone: 'Europe/Moscow', customerQuietHours: null, week } },
          providers: {},
        },
      },
      { by: 'test', at: Date.now() },
    );
    fixture.app.tenants.forget(portal.memberId);

    const { leadId, crmLeadId } = await submitted(AT_NIGHT);
    await eventually(
      () => callState(leadId),
      (s) => s === 'call.night',
      'waiting for the hours',
    );
    const context = await portalContext(browser);
    const page = await context.newPage();
    const tab = await openTab(page, crmLeadId);
    expect(await tab.locator('[data-call-state]').textContent()).toBe('waiting for working hours');
    const answered = page.waitForResponse((r) => r.url().endsWith('/call-now'));
    await tab.getByRole('button', { name: 'Call now' }).click();
    const refusal = (await (await answered).json()) as { reason?: string; nextWindowAt?: number };
    expect(refusal.reason).toBe('outside_hours');
    // The next window, as the engine answered it, in the words and the clock of the seller's browser.
    const next = await page.evaluate((at) => new Date(at).toLocaleString(), refusal.nextWindowAt ?? 0);
    await expect
      .poll(() => tab.getByRole('status').textContent())
      .toBe(`Outside calling hours: calls may start ${next}.`);
    expect(next).toContain(window.from);
    expect(await callState(leadId)).toBe('call.night');
    expect(callsTo(AT_NIGHT)).toBe(0);
    await expect.poll(() => tab.getByText('Action refused').count()).toBe(1);
    await context.close();
  }, 45_000);
});
