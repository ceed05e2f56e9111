import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SMSC_TEST_APIKEY, SMSC_TEST_LOGIN, SMSC_TEST_PASSWORD } from '../../src/sms/credentials.js';
import { type SmsSim, startSmsSim } from '../../src/sms/sms-sim.js';

let sms: SmsSim;
let clock: number;
beforeEach(async () => {
  clock = Date.UTC(2026, 10, 25, 10, 0, 0);
  sms = await startSmsSim({ now: () => clock });
});
afterEach(() => sms.close());

const auth = { login: SMSC_TEST_LOGIN, psw: SMSC_TEST_PASSWORD, fmt: '3', charset: 'utf-8' };

async function call(fields: Record<string, string>, path = '/sys/send.php') {
  const res = await fetch(`${sms.url}${path}`, { method: 'POST', body: new URLSearchParams(fields) });
  return { status: res.status, text: await res.text() };
}
async function json(fields: Record<string, string>, path?: string) {
  const { status, text } = await call(fields, path);
  expect(status).toBe(200);
  return JSON.parse(text) as Record<string, unknown>;
}

describe('SMSC /sys/send.php', () => {
  it('sends with our id and answers {id, cnt}', async () => {
    const body = await json({ ...auth, phones: '+79990000001', mes: 'Заказ принят', id: 'lead-1.sms-2' });
    expect(body).toEqual({ id: 'lead-1.sms-2', cnt: 1 });
    expect(sms.state.sent()).toMatchObject([
      {
        gateway: 'smsc',
        to: '+79990000001',
        text: 'Заказ принят',
        clientId: 'lead-1.sms-2',
        id: 'lead-1.sms-2',
      },
    ]);
  });

  it('echoes a numeric id as a number and makes one up without it', async () => {
    expect(await json({ ...auth, phones: '79990000001', mes: 'a', id: '42' })).toEqual({ id: 42, cnt: 1 });
    const generated = await json({ ...auth, phones: '79990000001', mes: 'b' });
    expect(generated.id).toEqual(expect.any(Number));
  });

  it('accepts an apikey instead of login and password', async () => {
    const body = await json({
      apikey: SMSC_TEST_APIKEY,
      fmt: '3',
      charset: 'utf-8',
      phones: '79990000001',
      mes: 'x',
    });
    expect(body.cnt).toBe(1);
  });

  it('counts parts over all numbers and reports cost and balance on request', async () => {
    const body = await json({ ...auth, phones: '79990000001;79990000002', mes: 'я'.repeat(71), cost: '3' });
    expect(body).toMatchObject({ cnt: 4, cost: '12.80', balance: '987.20' });
  });

  it('with cost=1 prices the message without sending it', async () => {
    expect(await json({ ...auth, phones: '79990000001', mes: 'x', cost: '1' })).toEqual({
      cost: '3.20',
      cnt: 1,
    });
    expect(sms.state.messages).toHaveLength(0);
  });

  it.each([
    ['wrong password', { ...auth, psw: 'nope', phones: '79990000001', mes: 'x' }, 2],
    ['wrong apikey', { apikey: 'nope', fmt: '3', phones: '79990000001', mes: 'x' }, 2],
    ['no phones', { ...auth, mes: 'x' }, 1],
    ['no text', { ...auth, phones: '79990000001' }, 1],
    ['a bad id', { ...auth, phones: '79990000001', mes: 'x', id: 'has space' }, 1],
    ['an id out of range', { ...auth, phones: '79990000001', mes: 'x', id: '2147483648' }, 1],
    ['a malformed number', { ...auth, phones: '12345', mes: 'x' }, 7],
  ])('answers an error for %s', async (_name, fields, code) => {
    const body = await json(fields);
    expect(body).toMatchObject({ error_code: code, error: expect.any(String) });
    expect(sms.state.sent()).toHaveLength(0);
  });

  it.each([
    ['bad_number', 7],
    ['blocked', 8],
    ['out_of_funds', 3],
  ] as const)('answers the behaviour %s with error %i and our id', async (behaviour, code) => {
    sms.behave('79990000001', behaviour);
    expect(await json({ ...auth, phones: '79990000001', mes: 'x', id: '7' })).toEqual({
      error: expect.any(String),
      error_code: code,
      id: 7,
    });
  });

  it('answers rate_limited with error 4 (IP blocked), without an id', async () => {
    sms.behave('79990000001', 'rate_limited');
    expect(await json({ ...auth, phones: '79990000001', mes: 'x', id: '7' })).toEqual({
      error: expect.any(String),
      error_code: 4,
    });
  });

  it('answers provider_down with a bare HTTP 503', async () => {
    sms.behave('79990000001', 'provider_down');
    expect((await call({ ...auth, phones: '79990000001', mes: 'x' })).status).toBe(503);
  });

  it('refuses with error 3 when the balance cannot pay', async () => {
    sms.config.smsc.balance = 1;
    expect(await json({ ...auth, phones: '79990000001', mes: 'x', id: '9' })).toMatchObject({
      error_code: 3,
      id: 9,
    });
  });

  it('sends to the good numbers of a list and skips the bad', async () => {
    sms.behave('79990000002', 'bad_number');
    expect(await json({ ...auth, phones: '79990000001,79990000002', mes: 'x' })).toMatchObject({ cnt: 1 });
    expect(sms.state.messages.map((m) => [m.to, m.status])).toEqual([
      ['79990000001', 'sent'],
      ['79990000002', 'failed'],
    ]);
  });

  it('answers error 9 to an identical request within a minute, and accepts it after', async () => {
    const fields = { ...auth, phones: '79990000001', mes: 'Заказ принят', id: '100' };
    expect(await json(fields)).toEqual({ id: 100, cnt: 1 });
    clock += 59_000;
    expect(await json(fields)).toEqual({ error: expect.any(String), error_code: 9 });
    expect(await json({ ...fields, mes: 'другой' })).toMatchObject({ cnt: 1 });
    clock += 61_000;
    expect(await json(fields)).toEqual({ id: 100, cnt: 1 });
    expect(sms.state.sent()).toHaveLength(3);
  });

  it('reads the text as windows-1251 when charset=utf-8 is missing', async () => {
    await json({
      login: SMSC_TEST_LOGIN,
      psw: SMSC_TEST_PASSWORD,
      fmt: '3',
      phones: '79990000001',
      mes: 'Да',
    });
    expect(sms.state.sent()[0]?.text).toBe('Р”Р°');
  });

  it('answers in its text format without fmt=3', async () => {
    const ok = await call({
      login: SMSC_TEST_LOGIN,
      psw: SMSC_TEST_PASSWORD,
      phones: '79990000001',
      mes: 'x',
      id: '5',
    });
    expect(ok.text).toBe('OK - 1 SMS, ID - 5');
    const error = await call({ login: SMSC_TEST_LOGIN, psw: 'bad', phones: '79990000001', mes: 'x' });
    expect(error.text).toMatch(/^ERROR = 2 \(/);
  });

  it('with test=1 answers like a send without delivering', async () => {
    expect(await json({ ...auth, phones: '79990000001', mes: 'x', test: '1' })).toMatchObject({ cnt: 1 });
    expect(sms.state.sent()).toHaveLength(0);
    expect(sms.state.messages[0]?.test).toBe(true);
  });
});

describe('SMSC /sys/status.php', () => {
  it('finds a message by phone and our id, and reports −3 for an unknown one', async () => {
    await json({ ...auth, phones: '+79990000001', mes: 'x', id: 'lead-7' });
    const found = await json({ ...auth, phone: '79990000001', id: 'lead-7' }, '/sys/status.php');
    expect(found).toEqual({
      status: 1,
      last_date: '25.11.2026 13:00:00',
      last_timestamp: clock / 1000,
      err: 0,
    });
    expect(await json({ ...auth, phone: '79990000002', id: 'lead-7' }, '/sys/status.php')).toMatchObject({
      status: -3,
    });
  });

  it('reports a refused number as status 22', async () => {
    sms.behave('79990000002', 'bad_number');
    await json({ ...auth, phones: '79990000001,79990000002', mes: 'x', id: 'lead-8' });
    expect(await json({ ...auth, phone: '79990000002', id: 'lead-8' }, '/sys/status.php')).toMatchObject({
      status: 22,
    });
  });

  it('needs both phone and id, and credentials', async () => {
    expect(await json({ ...auth, id: '1' }, '/sys/status.php')).toMatchObject({ error_code: 1 });
    expect(await json({ ...auth, psw: 'x', phone: '1', id: '1' }, '/sys/status.php')).toMatchObject({
      error_code: 2,
    });
  });
});
