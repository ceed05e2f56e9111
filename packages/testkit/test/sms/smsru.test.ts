import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SMSRU_TEST_API_ID, SMSRU_TEST_SENDER } from '../../src/sms/credentials.js';
import { type SmsSim, startSmsSim } from '../../src/sms/sms-sim.js';

let sms: SmsSim;
let clock: number;
beforeEach(async () => {
  clock = Date.UTC(2026, 10, 25, 10, 0, 0);
  sms = await startSmsSim({ now: () => clock });
});
afterEach(() => sms.close());

async function send(fields: Record<string, string> | [string, string][], path = '/sms/send') {
  const res = await fetch(`${sms.url}${path}`, { method: 'POST', body: new URLSearchParams(fields) });
  expect(res.status).toBe(200); // SMS.ru answers 200 even for errors: the body says what happened
  return (await res.json()) as Record<string, unknown> & { sms?: Record<string, Record<string, unknown>> };
}

const base = { api_id: SMSRU_TEST_API_ID, json: '1' };

describe('SMS.ru /sms/send', () => {
  it('accepts a message and answers per number with sms_id and the balance', async () => {
    const body = await send({ ...base, to: '79990000001', msg: 'Заказ принят' });
    expect(body).toMatchObject({ status: 'OK', status_code: 100, balance: 996.5 });
    const entry = body.sms?.['79990000001'];
    expect(entry).toMatchObject({ status: 'OK', status_code: 100 });
    expect(entry?.sms_id).toMatch(/^\d{6}-\d+$/);
    expect(sms.state.sent('+79990000001')).toMatchObject([
      { gateway: 'smsru', to: '79990000001', text: 'Заказ принят', id: entry?.sms_id, test: false },
    ]);
  });

  it('gives mixed per-number results for a comma list', async () => {
    sms.behave('79990000002', 'bad_number');
    sms.behave('79990000003', 'blocked');
    const body = await send({ ...base, to: '79990000001,79990000002,79990000003,123', msg: 'Привет' });
    expect(body.status).toBe('OK');
    expect(body.sms?.['79990000001']).toMatchObject({ status: 'OK', status_code: 100 });
    expect(body.sms?.['79990000002']).toMatchObject({ status: 'ERROR', status_code: 202 });
    expect(body.sms?.['79990000003']).toMatchObject({ status: 'ERROR', status_code: 209 });
    expect(body.sms?.['123']).toMatchObject({ status: 'ERROR', status_code: 202 });
    expect(typeof body.sms?.['79990000002']?.status_text).toBe('string');
    expect(sms.state.sent()).toHaveLength(1);
    expect(sms.state.messages.filter((m) => m.status === 'failed').map((m) => m.code)).toEqual([
      202, 209, 202,
    ]);
  });

  it('sends a different text per number with to[…] and multi[…]', async () => {
    const body = await send([
      ['api_id', SMSRU_TEST_API_ID],
      ['json', '1'],
      ['to[79990000001]', 'первый'],
      ['multi[79990000002]', 'второй'],
    ]);
    expect(Object.keys(body.sms ?? {})).toEqual(['79990000001', '79990000002']);
    expect(sms.state.sent().map((m) => m.text)).toEqual(['первый', 'второй']);
  });

  it('accepts GET with query parameters too', async () => {
    const query = new URLSearchParams({ ...base, to: '79990000001', msg: 'hi' });
    const res = await fetch(`${sms.url}/sms/send?${query}`);
    expect(await res.json()).toMatchObject({ status: 'OK', status_code: 100 });
  });

  it.each([
    ['wrong api_id', { ...base, api_id: 'nope', to: '79990000001', msg: 'x' }, 200],
    ['missing api_id', { json: '1', to: '79990000001', msg: 'x' }, 200],
    ['empty text', { ...base, to: '79990000001', msg: '' }, 203],
    ['no recipient', { ...base, msg: 'x' }, 202],
    ['unapproved sender', { ...base, to: '79990000001', msg: 'x', from: 'Other' }, 204],
    ['text longer than 8 SMS', { ...base, to: '79990000001', msg: 'я'.repeat(67 * 8 + 1) }, 205],
    ['bad time', { ...base, to: '79990000001', msg: 'x', time: 'tomorrow' }, 208],
    [
      'more than 100 numbers',
      { ...base, to: Array.from({ length: 101 }, (_, i) => 79990000100 + i).join(','), msg: 'x' },
      213,
    ],
  ])('refuses the whole request for %s', async (_name, fields, code) => {
    const body = await send(fields);
    expect(body).toMatchObject({ status: 'ERROR', status_code: code });
    expect(typeof body.status_text).toBe('string');
    expect(body.sms).toBeUndefined();
    expect(sms.state.messages).toHaveLength(0);
    expect(sms.state.rejections.at(-1)).toMatchObject({ gateway: 'smsru', code });
  });

  it('accepts the approved sender name', async () => {
    const body = await send({ ...base, to: '79990000001', msg: 'x', from: SMSRU_TEST_SENDER });
    expect(body.status_code).toBe(100);
    expect(sms.state.sent()[0]?.from).toBe(SMSRU_TEST_SENDER);
  });

  it('answers 212 to text that is not UTF-8', async () => {
    const res = await fetch(`${sms.url}/sms/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `api_id=${SMSRU_TEST_API_ID}&json=1&to=79990000001&msg=%C4%E0`,
    });
    expect(await res.json()).toMatchObject({ status: 'ERROR', status_code: 212 });
  });

  it.each([
    ['out_of_funds', 201],
    ['rate_limited', 206],
    ['provider_down', 220],
  ] as const)('fails the whole request when a recipient is set to %s', async (behaviour, code) => {
    sms.behave('79990000002', behaviour);
    const body = await send({ ...base, to: '79990000001,79990000002', msg: 'x' });
    expect(body).toMatchObject({ status: 'ERROR', status_code: code });
    expect(sms.state.messages).toHaveLength(0);
  });

  it('refuses with 201 once the balance cannot pay, and charges per part', async () => {
    sms.config.smsru.balance = 5;
    expect((await send({ ...base, to: '79990000001', msg: 'one part' })).balance).toBe(1.5);
    expect(await send({ ...base, to: '79990000002', msg: 'again' })).toMatchObject({ status_code: 201 });
  });

  it('answers 231 to the same text to the same number within a minute, not after', async () => {
    const fields = { ...base, to: '79990000001', msg: 'Заказ принят' };
    expect((await send(fields)).sms?.['79990000001']?.status_code).toBe(100);
    clock += 30_000;
    expect((await send(fields)).sms?.['79990000001']).toMatchObject({ status: 'ERROR', status_code: 231 });
    expect((await send({ ...fields, msg: 'Другой текст' })).sms?.['79990000001']?.status_code).toBe(100);
    clock += 31_000;
    expect((await send(fields)).sms?.['79990000001']?.status_code).toBe(100);
    expect(sms.state.sent()).toHaveLength(3);
  });

  it('with test=1 answers like a send but neither charges nor delivers', async () => {
    const body = await send({ ...base, to: '79990000001', msg: 'x', test: '1' });
    expect(body).toMatchObject({ status: 'OK', balance: 1000 });
    expect(body.sms?.['79990000001']?.status_code).toBe(100);
    expect(sms.state.sent()).toHaveLength(0);
    expect(sms.state.messages[0]?.test).toBe(true);
  });

  it('answers in the plain format without json=1', async () => {
    const res = await fetch(`${sms.url}/sms/send`, {
      method: 'POST',
      body: new URLSearchParams({ api_id: SMSRU_TEST_API_ID, to: '79990000001', msg: 'x' }),
    });
    const lines = (await res.text()).split('\n');
    expect(lines[0]).toBe('100');
    expect(lines[1]).toMatch(/^\d{6}-\d+$/);
    expect(lines[2]).toBe('balance=996.5');
  });

  it('answers 211 to an unknown method', async () => {
    expect(await send(base, '/sms/unknown')).toMatchObject({ status: 'ERROR', status_code: 211 });
  });
});

describe('SMS.ru /sms/status and /my/balance', () => {
  it('reports a sent message delivered and an unknown id not found', async () => {
    const sent = await send({ ...base, to: '79990000001', msg: 'x' });
    const id = String(sent.sms?.['79990000001']?.sms_id);
    const body = await send({ ...base, sms_id: `${id},000000-1` }, '/sms/status');
    expect(body.status_code).toBe(100);
    expect(body.sms?.[id]).toMatchObject({ status: 'OK', status_code: 103 });
    expect(body.sms?.['000000-1']).toMatchObject({ status: 'ERROR', status_code: -1 });
  });

  it('needs the api_id for status too', async () => {
    expect(await send({ api_id: 'x', json: '1', sms_id: '1' }, '/sms/status')).toMatchObject({
      status_code: 200,
    });
  });

  it('reports the balance', async () => {
    expect(await send(base, '/my/balance')).toEqual({ status: 'OK', status_code: 100, balance: 1000 });
  });
});
