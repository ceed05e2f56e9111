import { request } from 'node:http';
import { type CrmLeadRequest, createProzvon, type Prozvon, silentLogger } from '@prozvon/sdk';
import {
  MemoryLeadStore,
  RecordingCrm,
  RecordingNotifier,
  RecordingSms,
  RecordingVoice,
  SimulatedClock,
} from '@prozvon/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShopApp, DEFAULT_PRODUCT, type Locate } from '../src/index.js';
import { serve } from './helpers/serve.js';

// The shop's own routes with the SDK on in-process doubles: what the backend adds to the form's
// fields before the SDK sees them, and the contract of the order route. The adapters and the
// simulators are in the e2e tests.

const located: string[] = [];
const locate: Locate = async (ip) => {
  located.push(ip);
  return ip === '198.51.100.7' ? { city: 'Yekaterinburg', timezone: 'Asia/Yekaterinburg' } : null;
};

let prozvon: Prozvon;
let crm: RecordingCrm;
let shop: { url: string; close(): Promise<void> };

beforeAll(async () => {
  crm = new RecordingCrm();
  prozvon = createProzvon({
    store: new MemoryLeadStore(),
    crm,
    voice: new RecordingVoice(),
    sms: new RecordingSms(),
    notifier: new RecordingNotifier(),
    clock: new SimulatedClock(Date.parse('2026-11-25T08:00:00Z')),
    logger: silentLogger(),
    config: { shopName: 'Чайная <лавка>' },
  });
  await prozvon.start();
  shop = await serve(createShopApp({ prozvon, locate, trustProxy: 'loopback' }));
});
afterAll(async () => {
  await prozvon.stop();
  await shop.close();
});

const order = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${shop.url}/api/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** What the CRM was asked to create for a lead (the engine creates it right after intake). */
async function crmRequestOf(leadId: string): Promise<CrmLeadRequest> {
  await expect.poll(() => [...crm.leads.keys()].some((key) => key.includes(leadId))).toBe(true);
  const found = [...crm.leads.values()].find((lead) => lead.key.includes(leadId));
  if (found === undefined) throw new Error('no CRM lead');
  return found;
}

describe('product page and referral link', () => {
  it('serves the form with the shop name escaped and no cookie without a referral', async () => {
    const response = await fetch(`${shop.url}/`);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain('<form id="order"');
    expect(html).toContain('Чайная &lt;лавка&gt;');
    expect(html).toMatch(/4\s990\s₽/);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('/?utm_source=PARTNER42 keeps the partner code (and the other UTM values) in cookies for 30 days', async () => {
    const response = await fetch(`${shop.url}/?utm_source=PARTNER42&utm_campaign=autumn`);
    const cookies = response.headers.getSetCookie();
    expect(cookies).toHaveLength(2);
    expect(cookies[0]).toMatch(
      /^utm_source=PARTNER42; Max-Age=2592000; Path=\/; Expires=.+; HttpOnly; SameSite=Lax$/,
    );
    expect(cookies[1]).toMatch(/^utm_campaign=autumn;/);
  });

  it('serves the form script and the OpenAPI 3.1 document of the order route', async () => {
    const script = await fetch(`${shop.url}/order.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toContain('Intl.DateTimeFormat().resolvedOptions().timeZone');
    const document = (await (await fetch(`${shop.url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, { post?: { responses: Record<string, unknown> } }>;
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(['/api/orders']);
    expect(Object.keys(document.paths['/api/orders']?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(['202', '400', '409']),
    );
  });
});

describe('POST /api/orders: the backend enriches, the SDK accepts', () => {
  it('adds IP, city, partner and the priced order; keeps the browser zone; ignores what the browser may not set', async () => {
    const response = await order(
      {
        name: 'Анна',
        phone: '8 916 123-45-67',
        comment: 'после 18:00',
        timezone: 'Asia/Novosibirsk',
        ref: 'page-1',
        partnerCode: 'CHEATER',
        ip: '1.2.3.4',
        orderSum: 1,
      },
      { cookie: 'utm_source=PARTNER42; utm_medium=referral; other=x', 'x-forwarded-for': '198.51.100.7' },
    );
    expect(response.status).toBe(202);
    const { leadId, state } = (await response.json()) as { leadId: string; state: string };
    expect(state).toBe('call.dialing');
    const request = await crmRequestOf(leadId);
    expect(request.lead).toEqual({
      name: 'Анна',
      phone: '8 916 123-45-67',
      comment: 'после 18:00',
      ref: 'page-1',
      ip: '198.51.100.7',
      city: 'Yekaterinburg',
      timezone: 'Asia/Novosibirsk',
      partnerCode: 'PARTNER42',
      utm: { source: 'PARTNER42', medium: 'referral' },
      site: new URL(shop.url).host,
      items: [{ name: DEFAULT_PRODUCT.name, qty: 1, price: 4990 }],
      orderSum: 4990,
      currency: 'RUB',
    });
  });

  it('an unknown browser zone falls back to the IP’s; a loopback customer has no city, whatever the form says', async () => {
    const fromIp = await order(
      { name: 'Борис', phone: '+79161234568', timezone: 'Mars/Olympus' },
      {
        'x-forwarded-for': '198.51.100.7',
      },
    );
    expect(fromIp.status).toBe(202);
    const request = await crmRequestOf(((await fromIp.json()) as { leadId: string }).leadId);
    expect(request.lead.timezone).toBe('Asia/Yekaterinburg');

    // A city the browser names is not taken: where the customer is comes from the server.
    const local = await order({ name: 'Вера', phone: '+79161234569', city: 'Тверь' });
    const lead = (await crmRequestOf(((await local.json()) as { leadId: string }).leadId)).lead;
    expect(lead).toMatchObject({ ip: '127.0.0.1' });
    expect(lead.city).toBeUndefined();
    expect(lead.timezone).toBeUndefined();
    expect(lead.partnerCode).toBeUndefined();
  });

  it('400 names the bad field; 409 for a ref still in progress; 405 for GET', async () => {
    const bad = await order({ name: 'Анна', phone: 42 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: 'invalid_lead',
      issues: [{ path: 'phone', message: 'Expected a string, received number' }],
    });
    expect((await order('{"name":')).status).toBe(400);
    const first = await order({ name: 'Глеб', phone: '+79161234570', ref: 'double-click' });
    const firstBody = (await first.json()) as { leadId: string; state: string };
    // The same order again (a double click) is answered as the first time; another order is a 409.
    const retry = await order({ name: 'Глеб', phone: '+79161234570', ref: 'double-click' });
    const second = await order({ name: 'Глеб', phone: '+79161234570', ref: 'double-click', comment: 'ещё' });
    expect(first.status).toBe(202);
    expect(retry.status).toBe(202);
    expect(await retry.json()).toEqual(firstBody);
    expect(second.status).toBe(409);
    expect(await second.json()).toEqual({ error: 'duplicate', leadId: firstBody.leadId });
    expect((await fetch(`${shop.url}/api/orders`)).status).toBe(405);
  });

  it('415 for a cross-site text/plain post or no content type; a plain HTML form is a lead', async () => {
    const lead = JSON.stringify({ name: 'Анна', phone: '+79161234571' });
    for (const type of ['text/plain', 'text/plain;charset=UTF-8']) {
      const response = await order(lead, { 'content-type': type });
      expect(response.status).toBe(415);
      expect(await response.json()).toEqual({ error: 'unsupported_media_type' });
    }
    const untyped = await fetch(`${shop.url}/api/orders`, {
      method: 'POST',
      body: new TextEncoder().encode(lead),
    });
    expect(untyped.status).toBe(415);

    const form = await fetch(`${shop.url}/api/orders`, {
      method: 'POST',
      body: new URLSearchParams({ name: 'Дина', phone: '+79161234572', comment: 'до\r\nобеда' }),
    });
    expect(form.status).toBe(202);
    const request = await crmRequestOf(((await form.json()) as { leadId: string }).leadId);
    expect(request.lead).toMatchObject({ name: 'Дина', phone: '+79161234572', comment: 'до\nобеда' });
  });

  it('400 names a field with a lone surrogate, rather than passing it to the CRM', async () => {
    const response = await order('{"name":"\\ud800","phone":"+79161234573"}');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'invalid_lead',
      issues: [{ path: 'name', message: 'Not well-formed Unicode (a lone surrogate)' }],
    });
  });

  it('a body over the limit is refused with 413 before the SDK reads it', async () => {
    const response = await order({
      name: 'Анна',
      phone: '+79161234567',
      comment: 'x'.repeat(2 * 1024 * 1024),
    });
    expect(response.status).toBe(413);
  });

  it('a Host header that makes no URL is still answered by the SDK, not with a 5xx', async () => {
    const { port } = new URL(shop.url);
    const answer = await new Promise<{ status: number | undefined; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/api/orders',
          method: 'POST',
          headers: { host: 'a b:x', 'content-type': 'application/json' },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => {
            body += chunk.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode, body }));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ name: 'Анна' }));
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'invalid_lead', issues: [{ path: 'phone' }] });
  });
});
