import { CHROMIUM_ARGS, findChromium } from '@prozvon/testkit';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PARTNER } from '../src/index.js';
import { type Harness, startHarness } from './helpers/harness.js';

// The order form in a real browser (Debian's Chromium, `apt-get install -y chromium`): the
// customer arrives through the partner's referral link, fills the form and submits it; the page
// posts JSON with the browser's time zone, gets 202 and thanks them, and the lead reaches the
// Bitrix24 simulator linked to the partner.

const lookup = findChromium();
if (!lookup.found) console.warn(lookup.reason);

let browser: Browser;
let h: Harness;

beforeAll(async () => {
  if (!lookup.found) return;
  browser = await chromium.launch({ executablePath: lookup.executablePath, args: [...CHROMIUM_ARGS] });
  h = await startHarness({ phones: { '79160000001': 'answers' } });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe.skipIf(!lookup.found)('the order form in Chromium', () => {
  it('referral link → form → 202 → thanks; the lead is in Bitrix24 with the partner and the browser’s zone', async () => {
    const context = await browser.newContext({ timezoneId: 'Asia/Yekaterinburg', locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto(`${h.shop.url}/?utm_source=${DEMO_PARTNER.code}`);
    await page.fill('input[name=name]', 'Анна');
    await page.fill('input[name=phone]', '+7 916 000-00-01');
    await page.fill('textarea[name=comment]', 'Позвоните после обеда');
    const posted = page.waitForResponse((r) => r.url().endsWith('/api/orders'));
    await page.click('button[type=submit]');
    const response = await posted;
    expect(response.status()).toBe(202);
    expect(response.request().postDataJSON()).toMatchObject({
      name: 'Анна',
      phone: '+7 916 000-00-01',
      timezone: 'Asia/Yekaterinburg',
      ref: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    await expect.poll(() => page.textContent('#result')).toContain('Спасибо! Заказ принят');
    expect(await page.isHidden('#order')).toBe(true);

    const leadId = await page.getAttribute('#result', 'data-lead-id');
    await h.until(leadId ?? '', 'crm.created call.answered');
    const [lead] = h.sims.bitrix24.state.leads();
    expect(lead).toMatchObject({ NAME: 'Анна', COMPANY_ID: '1', UTM_SOURCE: DEMO_PARTNER.code });
    expect(lead?.COMMENTS).toContain('Часовой пояс: Asia/Yekaterinburg');
    expect(lead?.COMMENTS).toContain('Позвоните после обеда');
    await context.close();
  });

  it('a bad phone is shown next to the field, and nothing is stored', async () => {
    const page = await browser.newPage();
    await page.goto(h.shop.url);
    await page.fill('input[name=name]', 'Борис');
    const posted = page.waitForResponse((r) => r.url().endsWith('/api/orders'));
    await page.click('button[type=submit]');
    expect((await posted).status()).toBe(400);
    await expect.poll(() => page.textContent('.error[data-for=phone]')).toBe('Required');
    expect(await page.isEnabled('button[type=submit]')).toBe(true);
    expect(h.sims.bitrix24.state.leads()).toHaveLength(1);
    await page.close();
  });
});
