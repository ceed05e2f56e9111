import { mkdirSync } from 'node:fs';
import { CHROMIUM_ARGS, findChromium } from '@prozvon/testkit';
import { type Browser, type BrowserContext, chromium, type FrameLocator, type Page } from 'playwright-core';

/** Debian's Chromium, or why the browser tests are skipped (required under CI: findChromium throws). */
export const chromiumLookup = findChromium();
if (!chromiumLookup.found) console.warn(chromiumLookup.reason);

/** Where the tests save the pages' screenshots, shown in the README. */
export const SCREENSHOTS = new URL('../../../../docs/screenshots/', import.meta.url);

export async function launchChromium(): Promise<Browser> {
  if (!chromiumLookup.found) throw new Error(chromiumLookup.reason);
  return chromium.launch({ executablePath: chromiumLookup.executablePath, args: [...CHROMIUM_ARGS] });
}

/**
 * A browser context as a portal user's: the simulator's portal is served over HTTPS with the
 * testkit's own CA, which this Chromium does not know, so its certificate errors are ignored.
 */
export function portalContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 1200, height: 900 },
    locale: 'en-GB',
    timezoneId: 'Europe/Moscow',
  });
}

/** The app's page inside the simulated portal's iframe. */
export function appFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe#app');
}

/**
 * A screenshot of the framed page whole: the portal's iframe is as tall as the window, so the
 * window is first made as tall as the page inside it.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const frame = page.frames().find((f) => f.parentFrame() !== null);
  const height = Number((await frame?.evaluate('document.documentElement.scrollHeight')) ?? 900);
  const viewport = page.viewportSize() ?? { width: 1200, height: 900 };
  await page.setViewportSize({ width: viewport.width, height: Math.min(Math.max(height, 400), 6000) });
  await page.waitForTimeout(200);
  await page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname });
  await page.setViewportSize(viewport);
}
