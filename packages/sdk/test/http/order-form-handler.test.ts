import { describe, expect, it } from 'vitest';
import {
  createOrderFormHandler,
  type OrderFormHandlerOptions,
  withClientAddress,
} from '../../src/http/index.js';
import { recordingSubmit } from './recording-submit.js';

// The browser-facing order-form route (issue 14, points 7 and 8): only what a customer may say is
// taken from the body, the rest from the server; JSON and a plain HTML form both work.

function orderForm(options: Partial<OrderFormHandlerOptions> = {}) {
  const { submit, accepted } = recordingSubmit();
  const errors: unknown[] = [];
  const handler = createOrderFormHandler({
    submit,
    onError: (error) => errors.push(error),
    ...options,
  });
  return { handler, accepted, errors };
}

const send = (body: RequestInit['body'], headers: Record<string, string> = {}) =>
  new Request('http://shop.test/order', { method: 'POST', body, headers });
const json = (body: unknown, headers: Record<string, string> = {}) =>
  send(JSON.stringify(body), { 'content-type': 'application/json', ...headers });

/** Everything the contract has, as a customer editing the page could send it. */
const FORGED = {
  name: 'Анна',
  phone: '89161234567',
  comment: 'после обеда',
  timezone: 'Asia/Yekaterinburg',
  ref: 'order-1',
  partnerCode: 'EVIL',
  utm: { source: 'EVIL', campaign: 'forged' },
  orderSum: 1,
  currency: 'USD',
  items: [{ name: 'Чайник', qty: 1, price: 1 }],
  ip: '198.51.100.66',
  city: 'Нигде',
  site: 'evil.example',
};

describe('the order-form handler: what the browser may say', () => {
  it('takes name, phone, comment, time zone and ref from the body, and drops partner, price, IP and city', async () => {
    const { handler, accepted } = orderForm();
    expect((await handler(json(FORGED))).status).toBe(202);
    expect(accepted).toEqual([
      {
        name: 'Анна',
        phone: '89161234567',
        comment: 'после обеда',
        timezone: 'Asia/Yekaterinburg',
        ref: 'order-1',
      },
    ]);
  });

  it('takes the IP from the connection and the partner from the utm_* cookies', async () => {
    const { handler, accepted } = orderForm();
    const request = json(FORGED, { cookie: 'session=1; utm_source=PARTNER42; utm_campaign=autumn' });
    expect((await handler(withClientAddress(request, '::ffff:203.0.113.9'))).status).toBe(202);
    expect(accepted[0]).toMatchObject({
      ip: '203.0.113.9',
      partnerCode: 'PARTNER42',
      utm: { source: 'PARTNER42', campaign: 'autumn' },
    });
  });

  it("adds the shop's part from fromServer, which wins over the defaults", async () => {
    const seen: Request[] = [];
    const { handler, accepted } = orderForm({
      fromServer: async (request) => {
        seen.push(request);
        return {
          site: 'tea.example',
          city: 'Yekaterinburg',
          orderSum: 4990,
          currency: 'RUB',
          items: [{ name: 'Чайник', qty: 1, price: 4990 }],
          partnerCode: 'FROM-SESSION',
        };
      },
    });
    const request = withClientAddress(json(FORGED, { cookie: 'utm_source=PARTNER42' }), '203.0.113.9');
    expect((await handler(request)).status).toBe(202);
    expect(seen).toEqual([request]);
    expect(accepted[0]).toEqual({
      name: 'Анна',
      phone: '89161234567',
      comment: 'после обеда',
      timezone: 'Asia/Yekaterinburg',
      ref: 'order-1',
      ip: '203.0.113.9',
      partnerCode: 'FROM-SESSION',
      utm: { source: 'PARTNER42' },
      site: 'tea.example',
      city: 'Yekaterinburg',
      orderSum: 4990,
      currency: 'RUB',
      items: [{ name: 'Чайник', qty: 1, price: 4990 }],
    });
  });

  it("keeps the browser's time zone over the server's, and falls back to the server's for one that is not a zone", async () => {
    const { handler, accepted } = orderForm({ fromServer: () => ({ timezone: 'Europe/Moscow' }) });
    const lead = { name: 'Анна', phone: '89161234567' };
    await handler(json({ ...lead, timezone: 'Asia/Omsk' }));
    await handler(json({ ...lead, timezone: 'Mars/Olympus' }));
    await handler(json(lead));
    expect(accepted.map((one) => one.timezone)).toEqual(['Asia/Omsk', 'Europe/Moscow', 'Europe/Moscow']);
  });

  it('ignores a strange referral cookie rather than refusing the order, and cuts a long one', async () => {
    const { handler, accepted } = orderForm();
    const long = 'P'.repeat(300);
    await handler(json({ name: 'Анна', phone: '8916' }, { cookie: 'utm_source=%E0%A4%A; utm_medium=a%00b' }));
    await handler(json({ name: 'Анна', phone: '8916' }, { cookie: `utm_source=${long}` }));
    expect(accepted[0]).toEqual({ name: 'Анна', phone: '8916' });
    expect(accepted[1]?.partnerCode).toBe('P'.repeat(200));
  });

  it('answers what fromServer throws with 503, reported, nothing submitted', async () => {
    const { handler, accepted, errors } = orderForm({
      fromServer: () => {
        throw new Error('cart service down');
      },
    });
    const response = await handler(json({ name: 'Анна', phone: '8916' }));
    expect(response.status).toBe(503);
    expect(errors).toHaveLength(1);
    expect(accepted).toEqual([]);
  });
});

describe('the order-form handler: encodings', () => {
  it('takes a plain HTML form, with the same fields a script would send', async () => {
    const { handler, accepted } = orderForm();
    const form = new URLSearchParams({
      name: 'Анна',
      phone: '+7 916 123-45-67',
      comment: 'Позвонить\r\nпосле обеда',
      timezone: 'Asia/Yekaterinburg',
      partnerCode: 'EVIL',
      orderSum: '1',
      utm_source: 'EVIL',
      submit: 'Заказать',
    });
    const response = await handler(send(form));
    expect(response.status).toBe(202);
    expect(accepted).toEqual([
      {
        name: 'Анна',
        phone: '+7 916 123-45-67',
        comment: 'Позвонить\nпосле обеда',
        timezone: 'Asia/Yekaterinburg',
      },
    ]);
  });

  it('sends a plain form to thanksUrl with a 303 once accepted; a script still gets its 202', async () => {
    const { handler } = orderForm({ thanksUrl: '/thanks' });
    const form = await handler(send(new URLSearchParams({ name: 'Анна', phone: '8916' })));
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe('http://shop.test/thanks?leadId=L1');
    const script = await handler(json({ name: 'Анна', phone: '8916' }));
    expect(script.status).toBe(202);
    const refused = await handler(send(new URLSearchParams({ name: 'Анна' })));
    expect(refused.status).toBe(400);
  });

  it('names the bad field of a form in its 400, as for JSON', async () => {
    const { handler } = orderForm();
    const response = await handler(
      send('name=%00Anna&phone=8916', { 'content-type': 'application/x-www-form-urlencoded' }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'invalid_lead',
      issues: [{ path: 'name', message: 'Contains a control character (U+0000)' }],
    });
  });

  it('takes the first value of a repeated form field, and no field can reach the prototype', async () => {
    const { handler, accepted } = orderForm();
    const response = await handler(
      send('name=A&name=B&phone=8916&__proto__=x&constructor=y', {
        'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
      }),
    );
    expect(response.status).toBe(202);
    expect(accepted).toEqual([{ name: 'A', phone: '8916' }]);
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['multipart/form-data', 'multipart/form-data; boundary=x'],
  ])('refuses %s with 415, naming both encodings it takes', async (_case, type) => {
    const { handler, accepted } = orderForm();
    const response = await handler(send('{}', { 'content-type': type }));
    expect(response.status).toBe(415);
    expect(response.headers.get('accept-post')).toBe('application/json, application/x-www-form-urlencoded');
    expect(accepted).toEqual([]);
  });

  it('answers a JSON array with 400 and a GET with 405', async () => {
    const { handler } = orderForm();
    expect((await handler(send('[]', { 'content-type': 'application/json' }))).status).toBe(400);
    expect((await handler(new Request('http://shop.test/order'))).status).toBe(405);
  });

  it('refuses a body over the limit with 413', async () => {
    const { handler } = orderForm({ maxBodyBytes: 100 });
    const response = await handler(json({ name: 'Анна', phone: '8916', comment: 'x'.repeat(200) }));
    expect(response.status).toBe(413);
  });
});
