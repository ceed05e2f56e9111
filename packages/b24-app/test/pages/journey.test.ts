import type { Browser, FrameLocator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATHS } from '../../src/server.js';
import { type AppFixture, startAppFixture } from '../app/app-fixture.js';
import { eventually, submitIntake } from '../app/app-requests.js';
import {
  appFrame,
  chromiumLookup,
  launchChromium,
  portalContext,
  screenshot,
  tabWalk,
  unlabelledControls,
} from './portal-browser.js';

// The shop owner's journey through the app's pages in a real browser, inside the Bitrix24
// simulator's portal page (the testkit's frame simulator answers B24Frame's postMessage protocol):
// install through the install page, settings (a validation error, fixed, saved), a lead through
// the intake URL, and its card tab watching it reach `answered`.

/** The error text a field's input is described by (aria-describedby), as assistive tech reads it. */
async function errorOfField(frame: FrameLocator, label: string): Promise<string> {
  const ids = (await frame.getByLabel(label).getAttribute('aria-describedby')) ?? '';
  const texts = await Promise.all(
    ids
      .split(/\s+/)
      .filter((id) => id.endsWith('-error'))
      .map((id) => frame.locator(`[id="${id}"]`).textContent()),
  );
  return texts.join(' ');
}

let browser: Browser;
let fixture: AppFixture;

beforeAll(async () => {
  if (!chromiumLookup.found) return;
  browser = await launchChromium();
  fixture = await startAppFixture({
    calls: { '79160000001': 'answers', '79160000002': 'answering-machine' },
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await fixture?.close();
});

const allWeek = () => {
  const day = { from: '00:00', to: '24:00' };
  return { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day };
};

describe.skipIf(!chromiumLookup.found)('the app’s pages in Chromium, inside the simulated portal', () => {
  it('install → settings: an error shown at its field, fixed, saved → a lead → its tab reaches answered', async () => {
    const { sim, b24App, config } = fixture;
    // The portal POSTs the install (the app stores the portal and binds its events), then shows
    // the install page in its frame, which must call installFinish before anything is delivered.
    await sim.installApp(b24App.clientId, { finish: false });
    const memberId = sim.portal().memberId;
    expect(sim.portal().installs.get(b24App.clientId)?.finished).toBe(false);
    // Open round the clock, so the lead below is called at once whatever the hour.
    await fixture.app.portals.updateSettings(
      memberId,
      { settings: { tenant: { hours: { customerQuietHours: null, week: allWeek() } }, providers: {} } },
      { by: 'test', at: Date.now() },
    );
    fixture.app.tenants.forget(memberId);

    const context = await portalContext(browser);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(sim.frameUrl(b24App.clientId, { url: `${config.publicUrl}${PATHS.install}` }));
    const frame = appFrame(page);
    // installFinish, then on to the settings page.
    await frame.getByRole('heading', { name: 'Prozvon settings' }).waitFor({ timeout: 20_000 });
    expect(sim.portal().installs.get(b24App.clientId)?.finished).toBe(true);
    expect(sim.frameCommands.map((c) => c.command)).toContain('setInstallFinish');

    // A wrong phone: refused by the API, shown next to its field, nothing saved.
    const phone = frame.getByLabel('Shop phone');
    await phone.fill('call me maybe');
    await frame.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => frame.locator('[data-save-status]').textContent()).toContain('Nothing was saved');
    // The error is the field's own: the input points at it (aria-describedby), as a screen reader reads it.
    expect(await errorOfField(frame, 'Shop phone')).toContain('Expected a phone number');
    const stored = await fixture.app.portals.getByMemberId(memberId);
    expect((stored?.settings.tenant as { shopPhone?: string } | undefined)?.shopPhone).toBeUndefined();
    await screenshot(page, 'settings-error');

    await phone.fill('+7 495 123-45-67');
    await frame.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => frame.locator('[data-save-status]').textContent()).toContain('Saved');
    const saved = await fixture.app.portals.getByMemberId(memberId);
    expect((saved?.settings.tenant as { shopPhone?: string } | undefined)?.shopPhone).toBe(
      '+7 495 123-45-67',
    );
    // The secrets are only ever in the page masked.
    const html = await frame.locator('body').innerHTML();
    for (const secret of Object.values(saved?.secrets ?? {})) expect(html).not.toContain(secret);
    await screenshot(page, 'settings');

    // Keyboard only: every control has a label; Tab walks the form top to bottom; typing and
    // Enter save it.
    expect(await unlabelledControls(page)).toEqual([]);
    const walk = await tabWalk(page, 12);
    expect(walk.map((f) => f.name)).toEqual([
      'Shop name',
      'Shop phone',
      'Shop time zone',
      'Caller id',
      'Monday',
      'Monday from',
      'Monday to',
      'Tuesday',
      'Tuesday from',
      'Tuesday to',
      'Wednesday',
      'Wednesday from',
    ]);
    // Top to bottom: a control is never above the row of the one before it.
    for (let i = 1; i < walk.length; i += 1) {
      expect(walk[i]?.top ?? 0).toBeGreaterThanOrEqual((walk[i - 1]?.top ?? 0) - 20);
    }
    await frame.getByLabel('Shop name').focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('Цветы у дома');
    await page.keyboard.press('Enter');
    await expect
      .poll(async () => (await fixture.app.portals.getByMemberId(memberId))?.settings.tenant)
      .toMatchObject({ shopName: 'Цветы у дома' });

    // Connecting Voximplant without a key: the API's words at the key's field.
    await frame.getByRole('button', { name: 'Connect Voximplant' }).click();
    await expect
      .poll(() => errorOfField(frame, 'Service account private key (PEM)'))
      .toContain('expected a PEM private key');

    // A test call through the operator's telephony: the provider's session comes back.
    await frame.getByLabel('Phone for a test call').fill('+79160000001');
    await frame.getByRole('button', { name: 'Place a test call' }).click();
    await expect
      .poll(() => frame.getByRole('status').filter({ hasText: 'session' }).textContent())
      .toMatch(/Calling now \(session \S+\)/);

    // A test button answers with the provider's words (no Telegram set up here), saving nothing.
    await frame.getByRole('button', { name: 'Send a test Telegram message' }).click();
    await expect
      .poll(() => frame.getByRole('status').filter({ hasText: 'Telegram' }).textContent())
      .toContain('no Telegram chat connected');

    // A lead from the shop's site, through the intake URL.
    const intakeSecret = saved?.secrets['intake.secret'] ?? '';
    const submitted = await submitIntake(fixture, saved?.portalKey ?? '', intakeSecret, {
      name: 'Анна',
      phone: '+79160000001',
    });
    expect(submitted.status).toBe(202);
    const leadId = submitted.body.leadId ?? '';
    const crmLeadId = await eventually(
      async () => {
        const lead = await fixture.app.host.getLead(memberId, leadId);
        const context = (lead?.snapshot as { context?: { crmLeadId?: string } } | undefined)?.context;
        return context?.crmLeadId ?? '';
      },
      (id) => id !== '',
      'the lead in the CRM',
    );

    // Its card tab, opened by the portal with the CRM lead's ID as a JSON string.
    await page.goto(
      sim.frameUrl(b24App.clientId, {
        url: `${config.publicUrl}${PATHS.leadTab}`,
        placement: 'CRM_LEAD_DETAIL_TAB',
        placementOptions: { ID: crmLeadId },
      }),
    );
    const tab = appFrame(page);
    await expect
      .poll(() => tab.locator('[data-call-state]').textContent(), { timeout: 30_000 })
      .toBe('answered');
    await expect.poll(() => tab.getByText('Call 1: answered').count()).toBeGreaterThan(0);
    await screenshot(page, 'lead-tab');

    // A lead an answering machine took: its tab offers "it was a person" (the route comes with
    // the dashboard's API; until then the tab says it is not available here, never a blank).
    const machine = await submitIntake(fixture, saved?.portalKey ?? '', intakeSecret, {
      name: 'Борис',
      phone: '+79160000002',
    });
    const machineCrmId = await eventually(
      async () => {
        const lead = await fixture.app.host.getLead(memberId, machine.body.leadId ?? '');
        const context = (lead?.snapshot as { context?: { crmLeadId?: string } } | undefined)?.context;
        return context?.crmLeadId ?? '';
      },
      (id) => id !== '',
      'the machine lead in the CRM',
    );
    await page.goto(
      sim.frameUrl(b24App.clientId, {
        url: `${config.publicUrl}${PATHS.leadTab}`,
        placement: 'CRM_LEAD_DETAIL_TAB',
        placementOptions: { ID: machineCrmId },
      }),
    );
    const machineTab = appFrame(page);
    const person = machineTab.getByRole('button', { name: 'It was a person' });
    await person.waitFor({ timeout: 30_000 });
    await person.click();
    await expect
      .poll(() => machineTab.getByRole('status').textContent())
      .toMatch(/Marked: a person answered|not available on this server yet/);

    // A CRM lead Prozvon never handled (no phone to call): its tab says so and why.
    const noPhone = sim.addFormLead({ NAME: 'Без телефона', SOURCE_ID: 'WEBFORM' });
    await sim.idle();
    await fixture.app.idle();
    await page.goto(
      sim.frameUrl(b24App.clientId, {
        url: `${config.publicUrl}${PATHS.leadTab}`,
        placement: 'CRM_LEAD_DETAIL_TAB',
        placementOptions: { ID: String(noPhone) },
      }),
    );
    const never = appFrame(page).locator('[data-not-handled]');
    await never.waitFor({ timeout: 20_000 });
    expect(await never.textContent()).toContain('It has no phone number, so Prozvon would not call it.');

    // The dashboard, in the portal's frame.
    await page.goto(sim.frameUrl(b24App.clientId, { url: `${config.publicUrl}${PATHS.dashboard}` }));
    const dashboard = appFrame(page);
    await dashboard.getByRole('heading', { name: 'Prozvon dashboard' }).waitFor();
    await expect
      .poll(
        async () =>
          (await dashboard.locator('[data-totals]').count()) +
          (await dashboard.getByText('No figures to show').count()),
      )
      .toBe(1);
    if ((await dashboard.locator('[data-totals]').count()) === 1) {
      // With the dashboard's API (its own branch): the two leads above, one answered, one machine
      // marked as a person — the page shows the store's figures as they are.
      const tile = (name: string) => dashboard.locator(`[data-tile="${name}"]`).textContent();
      expect(await tile('Leads')).toBe('2');
      expect(await tile('Answered')).toBe('1');
      expect(await tile('Machine marked as a person')).toBe('1 of 1 (100 %)');
    }
    await screenshot(page, 'dashboard');
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 90_000);

  it('opened outside a portal, each page says so plainly', async () => {
    const context = await portalContext(browser);
    const page = await context.newPage();
    for (const [path, name] of [
      [PATHS.app, 'settings'],
      [PATHS.leadTab, 'lead tab'],
      [PATHS.dashboard, 'dashboard'],
    ] as const) {
      await page.goto(`${fixture.config.publicUrl}${path}`);
      await expect
        .poll(() => page.locator('body').textContent())
        .toContain(`This is Prozvon’s ${name}: open it from your Bitrix24 portal`);
    }
    await context.close();
  });
});
