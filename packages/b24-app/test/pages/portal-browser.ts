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

/** The element that has the keyboard focus in a frame: its accessible name as a person hears it. */
export interface Focused {
  readonly tag: string;
  readonly name: string;
  readonly top: number;
}

/**
 * What a keyboard user meets pressing Tab `count` times from the top of the framed page. The
 * name is the element's label (its `<label for>`, aria-label or aria-labelledby), else its text.
 */
export async function tabWalk(page: Page, count: number): Promise<Focused[]> {
  const frame = page.frames().find((f) => f.parentFrame() !== null);
  if (frame === undefined) throw new Error('no app frame');
  await frame.evaluate('document.activeElement && document.activeElement.blur()');
  const seen: Focused[] = [];
  for (let i = 0; i < count; i += 1) {
    await page.keyboard.press('Tab');
    seen.push((await frame.evaluate(FOCUSED)) as Focused);
  }
  return seen;
}

const FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return { tag: 'body', name: '', top: 0 };
  const byId = (ids) => ids.split(/\\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
  const name = (el.labels && el.labels.length > 0 ? el.labels[0].textContent : null)
    ?? el.getAttribute('aria-label')
    ?? (el.getAttribute('aria-labelledby') ? byId(el.getAttribute('aria-labelledby')) : null)
    ?? el.textContent;
  return { tag: el.tagName.toLowerCase(), name: (name ?? '').trim().replace(/\\s+/g, ' '), top: el.getBoundingClientRect().top + window.scrollY };
})()`;

/** Form controls in the framed page that no label names: what a screen reader would read blank. */
export async function unlabelledControls(page: Page): Promise<string[]> {
  const frame = page.frames().find((f) => f.parentFrame() !== null);
  if (frame === undefined) throw new Error('no app frame');
  return (await frame.evaluate(`[...document.querySelectorAll('input:not([type=hidden]), textarea, select, [role=switch], [role=combobox], [role=checkbox]')]
    .filter((el) => el.getAttribute('aria-hidden') !== 'true' && el.getAttribute('tabindex') !== '-1')
    .filter((el) => !((el.labels && el.labels.length > 0) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')))
    .map((el) => el.tagName + '#' + el.id + ' role=' + el.getAttribute('role') + ' ' + (el.parentElement?.parentElement?.outerHTML ?? '').replace(/class="[^"]*"/g, '').slice(0, 400))`)) as string[];
}
