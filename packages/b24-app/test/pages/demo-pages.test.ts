import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppDemo, runAppDemo } from '../../src/demo/app-demo.js';
import { appFrame, chromiumLookup, launchChromium, portalContext } from './portal-browser.js';

// `npm start`'s Bitrix24 half as a newcomer meets it: the links it prints open the app's three
// pages inside the simulated portal's page, no account anywhere.

let browser: Browser;
let demo: AppDemo;
const printed: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'prozvon-demo-pages-'));

beforeAll(async () => {
  if (!chromiumLookup.found) return;
  browser = await launchChromium();
  demo = await runAppDemo(
    { PROZVON_DATA_DIR: dir, PROZVON_APP_PORT: '0', PROZVON_LOG_LEVEL: 'error' },
    {},
    (line) => printed.push(line),
  );
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The link printed after `label` for the first portal. */
function link(label: string): string {
  const line = printed.find((l) => l.trimStart().startsWith(`${label} https://`));
  if (line === undefined) throw new Error(`no "${label}" link in:\n${printed.join('\n')}`);
  return line.trim().slice(label.length + 1);
}

describe.skipIf(!chromiumLookup.found)('the pages npm start prints, in Chromium', () => {
  it('opens settings, a lead’s tab and the dashboard inside the simulated portal', async () => {
    // What is printed is what demo.json holds.
    const saved = JSON.parse(readFileSync(join(dir, 'demo.json'), 'utf8')) as {
      portals: { pages: Record<string, string> }[];
    };
    expect(link('settings')).toBe(saved.portals[0]?.pages.settings);
    expect(link('lead tab')).toBe(saved.portals[0]?.pages.leadTab);
    expect(link('dashboard')).toBe(saved.portals[0]?.pages.dashboard);

    const context = await portalContext(browser);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(link('settings'));
    const settings = appFrame(page);
    await settings.getByRole('heading', { name: 'Prozvon settings' }).waitFor({ timeout: 20_000 });
    // The portal's shop, as the demo set it up, in the form.
    expect(await settings.getByLabel('Shop name').inputValue()).toBe('Чайная лавка');

    // The lead the demo's web form sent: its tab follows it (the form's customer, Анна).
    await page.goto(link('lead tab'));
    const tab = appFrame(page);
    await tab.locator('[data-call-state]').waitFor({ timeout: 20_000 });
    expect(await tab.getByRole('heading', { level: 1 }).textContent()).toContain('Анна');

    await page.goto(link('dashboard'));
    const dashboard = appFrame(page);
    await dashboard.getByRole('heading', { name: 'Prozvon dashboard' }).waitFor({ timeout: 20_000 });
    await dashboard.locator('[data-totals]').waitFor();
    expect(Number(await dashboard.locator('[data-tile="Leads"]').textContent())).toBeGreaterThanOrEqual(1);
    expect(errors).toEqual([]);
    await context.close();
  }, 45_000);
});
