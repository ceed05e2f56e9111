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

/** Text as compared: any run of spaces (Intl's narrow no-break ones too) as one space. */
function normal(text: string | null): string {
  return (text ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}

/** A sum in roubles as the page writes it (ru-RU: `4 000 ₽`). */
function rub(sum: number | undefined): string {
  return normal(
    new Intl.NumberFormat('ru-RU', { style: 'currency', currency: 'RUB', maximumFractionDigits: 0 }).format(
      sum ?? Number.NaN,
    ),
  );
}

/** A delay of under a minute as the page writes it (a tenth under ten seconds); `—` when none. */
function seconds(ms: number | null): string {
  if (ms === null) return '—';
  expect(ms).toBeLessThan(59_500);
  return ms < 9_950 ? `${(Math.round(ms / 100) / 10).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/** The dashboard table's outcome columns, in the page's order. */
const OUTCOME_ORDER = ['answered', 'machine', 'no_answer', 'invalid', 'manual', 'in_progress'] as const;

/** The dashboard table's body, cell texts per row. */
async function tableRows(frame: FrameLocator): Promise<string[][]> {
  const rows = frame.locator('[data-groups] tbody tr');
  const out: string[][] = [];
  for (let i = 0; i < (await rows.count()); i += 1) {
    out.push((await rows.nth(i).locator('td').allTextContents()).map(normal));
  }
  return out;
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
      partnerCode: 'blog-42',
      site: 'tea.example',
      orderSum: 1500,
      currency: 'RUB',
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

    // A lead an answering machine took: its tab offers "it was a person"; the seller's mark is
    // recorded with who made it, and the button gives way to the mark.
    const machine = await submitIntake(fixture, saved?.portalKey ?? '', intakeSecret, {
      name: 'Борис',
      phone: '+79160000002',
      partnerCode: 'blog-42',
      site: 'gifts.example',
      orderSum: 2500,
      currency: 'RUB',
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
      .toBe('Marked: a person answered, not a machine.');
    const mark = machineTab.locator('[data-machine-person]');
    await expect
      .poll(() => mark.textContent())
      .toMatch(/A person answered, not a machine: marked by user \d+/);
    expect(await person.count()).toBe(0);
    await expect
      .poll(() => machineTab.getByText('Marked: a person answered, not a machine').count())
      .toBeGreaterThan(1);
    // The store holds the mark: the dashboard counts it.
    const marked = await fixture.app.host.dashboard(memberId, {
      from: Date.now() - 3_600_000,
      to: Date.now() + 1,
      groupBy: 'partner',
    });
    expect(marked.total.machine).toEqual({ outcomes: 1, markedPerson: 1, markRate: 1 });
    await screenshot(page, 'lead-tab-machine');

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

    // The dashboard, in the portal's frame: its figures are the store's for the period it asked.
    const asked = page.waitForResponse((r) => r.url().includes('/api/portal/dashboard?'));
    await page.goto(sim.frameUrl(b24App.clientId, { url: `${config.publicUrl}${PATHS.dashboard}` }));
    const dashboard = appFrame(page);
    await dashboard.getByRole('heading', { name: 'Prozvon dashboard' }).waitFor();
    const period = new URL((await asked).url()).searchParams;
    const figures = (groupBy: 'partner' | 'site') =>
      fixture.app.host.dashboard(memberId, {
        from: Number(period.get('from')),
        to: Number(period.get('to')),
        groupBy,
      });
    const store = await figures('partner');
    // What the journey made: two leads of one partner, one answered, one machine marked a person.
    expect(store.total).toMatchObject({
      leads: 2,
      orderSums: [{ currency: 'RUB', leads: 2, total: 4000, average: 2000 }],
      outcomes: { answered: 1, machine: 1 },
      machine: { outcomes: 1, markedPerson: 1, markRate: 1 },
    });
    const tile = async (name: string) =>
      normal(await dashboard.locator(`[data-tile="${name}"]`).textContent());
    await dashboard.locator('[data-totals]').waitFor();
    expect(await tile('Leads')).toBe(String(store.total.leads));
    expect(await tile('Answered')).toBe(String(store.total.outcomes.answered));
    expect(await tile('Order sums')).toBe(
      `${rub(store.total.orderSums[0]?.total)} (avg ${rub(store.total.orderSums[0]?.average)})`,
    );
    expect(await tile('Machine marked as a person')).toBe(
      `${store.total.machine.markedPerson} of ${store.total.machine.outcomes} (100 %)`,
    );
    const { firstRing, answer } = store.total.speed;
    expect(await tile('To first ring (median / p90)')).toBe(
      `${seconds(firstRing.medianMs)} / ${seconds(firstRing.p90Ms)}`,
    );
    expect(await tile('To answer (median / p90)')).toBe(
      `${seconds(answer.medianMs)} / ${seconds(answer.p90Ms)}`,
    );
    // Per partner: one row, the partner's leads, sums and medians.
    expect(store.groups.map((g) => [g.key, g.leads])).toEqual([['blog-42', 2]]);
    expect(await tableRows(dashboard)).toEqual(
      store.groups.map((g) => [
        g.name ?? g.key,
        String(g.leads),
        `${rub(g.orderSums[0]?.total)} (avg ${rub(g.orderSums[0]?.average)})`,
        ...OUTCOME_ORDER.map((o) => String(g.outcomes[o])),
        seconds(g.speed.firstRing.medianMs),
        seconds(g.speed.answer.medianMs),
        '100 %',
      ]),
    );
    // A chart of the days: one bar group a day of the period, today's with the two leads.
    const chart = dashboard.locator('[data-chart] svg');
    await chart.first().waitFor();
    expect(store.days.at(-1)?.leads).toBe(2);
    expect(await dashboard.locator('[data-chart] svg text').allTextContents()).toContain(
      store.days.at(-1)?.date.slice(5),
    );
    // Grouped by site: the two sites, each with its lead.
    await dashboard.getByRole('combobox', { name: 'Group by' }).click();
    await dashboard.getByRole('option', { name: 'By site' }).click();
    await dashboard.getByRole('columnheader', { name: 'Site' }).waitFor();
    const bySite = await figures('site');
    expect(bySite.groups.map((g) => [g.key, g.leads]).sort()).toEqual([
      ['gifts.example', 1],
      ['tea.example', 1],
    ]);
    await expect
      .poll(async () => (await tableRows(dashboard)).map((row) => row.slice(0, 2)))
      .toEqual(bySite.groups.map((g) => [g.key, String(g.leads)]));
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
