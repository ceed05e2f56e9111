import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  TWILIO_TEST_ACCOUNT_SID,
  TWILIO_TEST_AUTH_TOKEN,
  TWILIO_TEST_FROM,
  TWILIO_TEST_MESSAGING_SERVICE_SID,
} from '../../src/sms/credentials.js';
import { type SmsSim, startSmsSim } from '../../src/sms/sms-sim.js';

let sms: SmsSim;
beforeEach(async () => {
  sms = await startSmsSim({ now: () => Date.UTC(2026, 10, 25, 10, 0, 0) });
});
afterEach(() => sms.close());

const basic = `Basic ${Buffer.from(`${TWILIO_TEST_ACCOUNT_SID}:${TWILIO_TEST_AUTH_TOKEN}`).toString('base64')}`;
const messagesPath = `/2010-04-01/Accounts/${TWILIO_TEST_ACCOUNT_SID}/Messages.json`;

async function create(fields: Record<string, string>, authorization = basic, path = messagesPath) {
  const res = await fetch(`${sms.url}${path}`, {
    method: 'POST',
    headers: { authorization },
    body: new URLSearchParams(fields),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

function expectError(
  result: { status: number; body: Record<string, unknown> },
  status: number,
  code: number,
) {
  expect(result.status).toBe(status);
  expect(result.body).toEqual({
    code,
    message: expect.any(String),
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status,
  });
}

describe('Twilio Messages.json', () => {
  it('creates a message: 201 with the Message resource', async () => {
    const { status, body } = await create({
      To: '+79990000001',
      From: TWILIO_TEST_FROM,
      Body: 'Order accepted',
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      account_sid: TWILIO_TEST_ACCOUNT_SID,
      api_version: '2010-04-01',
      body: 'Order accepted',
      date_created: 'Wed, 25 Nov 2026 10:00:00 +0000',
      date_sent: null,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: TWILIO_TEST_FROM,
      messaging_service_sid: null,
      num_segments: '1',
      price: null,
      status: 'queued',
      to: '+79990000001',
    });
    expect(body.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(body.uri).toBe(`/2010-04-01/Accounts/${TWILIO_TEST_ACCOUNT_SID}/Messages/${body.sid}.json`);
    expect(sms.state.sent()).toMatchObject([{ gateway: 'twilio', id: body.sid, to: '+79990000001' }]);
  });

  it('sends through a Messaging Service, answering accepted', async () => {
    const { status, body } = await create({
      To: '+79990000001',
      MessagingServiceSid: TWILIO_TEST_MESSAGING_SERVICE_SID,
      Body: 'Заказ принят',
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      status: 'accepted',
      messaging_service_sid: TWILIO_TEST_MESSAGING_SERVICE_SID,
    });
  });

  it('refuses missing or wrong Basic auth with 401 / 20003', async () => {
    const fields = { To: '+79990000001', From: TWILIO_TEST_FROM, Body: 'x' };
    const wrong = await create(
      fields,
      `Basic ${Buffer.from(`${TWILIO_TEST_ACCOUNT_SID}:bad`).toString('base64')}`,
    );
    expectError(wrong, 401, 20003);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic/);
    expectError(await create(fields, ''), 401, 20003);
    expect(sms.state.messages).toHaveLength(0);
  });

  it('answers 404 / 20404 for another account in the path', async () => {
    const result = await create(
      { To: '+79990000001', From: TWILIO_TEST_FROM, Body: 'x' },
      basic,
      `/2010-04-01/Accounts/AC${'9'.repeat(32)}/Messages.json`,
    );
    expectError(result, 404, 20404);
  });

  it.each([
    ['no To', { From: TWILIO_TEST_FROM, Body: 'x' }, 21604],
    ['no From', { To: '+79990000001', Body: 'x' }, 21603],
    ['no Body', { To: '+79990000001', From: TWILIO_TEST_FROM }, 21602],
    ['Body over 1600', { To: '+79990000001', From: TWILIO_TEST_FROM, Body: 'x'.repeat(1601) }, 21617],
    ['a From the account does not own', { To: '+79990000001', From: '+15550000000', Body: 'x' }, 21606],
    ['an unknown Messaging Service', { To: '+79990000001', MessagingServiceSid: 'MGnope', Body: 'x' }, 21701],
    ['a To that is not E.164', { To: '79990000001', From: TWILIO_TEST_FROM, Body: 'x' }, 21211],
  ])('answers 400 for %s', async (_name, fields, code) => {
    expectError(await create(fields), 400, code);
    expect(sms.state.sent()).toHaveLength(0);
  });

  it('reads form fields only: a JSON body has no To', async () => {
    const res = await fetch(`${sms.url}${messagesPath}`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/json' },
      body: JSON.stringify({ To: '+79990000001', From: TWILIO_TEST_FROM, Body: 'x' }),
    });
    expectError({ status: res.status, body: (await res.json()) as Record<string, unknown> }, 400, 21604);
  });

  it.each([
    ['bad_number', 400, 21211],
    ['blocked', 400, 21610],
    ['rate_limited', 429, 20429],
    ['out_of_funds', 401, 20005],
    ['provider_down', 503, 20503],
  ] as const)('answers the behaviour %s with %i / %i', async (behaviour, status, code) => {
    sms.behave('+79990000001', behaviour);
    expectError(await create({ To: '+79990000001', From: TWILIO_TEST_FROM, Body: 'x' }), status, code);
    expect(sms.state.sent()).toHaveLength(0);
  });

  it('fetches a message and lists messages filtered by To', async () => {
    const first = await create({ To: '+79990000001', From: TWILIO_TEST_FROM, Body: 'one' });
    await create({ To: '+79990000002', From: TWILIO_TEST_FROM, Body: 'two' });
    const fetched = await fetch(
      `${sms.url}/2010-04-01/Accounts/${TWILIO_TEST_ACCOUNT_SID}/Messages/${first.body.sid}.json`,
      {
        headers: { authorization: basic },
      },
    );
    expect(fetched.status).toBe(200);
    expect(await fetched.json()).toMatchObject({ sid: first.body.sid, body: 'one' });

    const listed = await fetch(`${sms.url}${messagesPath}?To=%2B79990000001&DateSent=2026-11-25`, {
      headers: { authorization: basic },
    });
    const page = (await listed.json()) as { messages: { body: string }[]; page: number; next_page_uri: null };
    expect(page.messages.map((m) => m.body)).toEqual(['one']);
    expect(page).toMatchObject({ page: 0, next_page_uri: null });

    const missing = await fetch(
      `${sms.url}/2010-04-01/Accounts/${TWILIO_TEST_ACCOUNT_SID}/Messages/SMnope.json`,
      {
        headers: { authorization: basic },
      },
    );
    expect(missing.status).toBe(404);
  });
});
