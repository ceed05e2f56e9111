import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SMSRU_TEST_API_ID } from '../../src/sms/credentials.js';
import { type SmsSim, startSmsSim } from '../../src/sms/sms-sim.js';
import { smsRuErrorBody } from '../../src/sms/smsru.js';

let sms: SmsSim;
beforeEach(async () => {
  sms = await startSmsSim();
});
afterEach(() => sms.close());

function sendSmsRu(to: string, msg: string) {
  return fetch(`${sms.url}/sms/send`, {
    method: 'POST',
    body: new URLSearchParams({ api_id: SMSRU_TEST_API_ID, json: '1', to, msg }),
  });
}

describe('the SMS simulator', () => {
  it('listens on loopback', () => {
    expect(sms.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('shows what it received on GET /, newest first and escaped, without faults', async () => {
    await sendSmsRu('79990000001', 'first <script>alert(1)</script>');
    await sendSmsRu('79990000002', 'second');
    sms.faults.outage();
    const res = await fetch(sms.url);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('Messages (2)');
    expect(html.indexOf('second')).toBeLessThan(html.indexOf('first'));
    expect(html).not.toContain('<script>alert');
  });

  it('injects faults on gateway routes: the default is a bare 503', async () => {
    sms.faults.failNext(1);
    const failed = await sendSmsRu('79990000001', 'x');
    expect(failed.status).toBe(503);
    expect((await sendSmsRu('79990000001', 'x')).status).toBe(200);
    expect(sms.state.sent()).toHaveLength(1);
  });

  it('injects a gateway-shaped error, such as SMS.ru 500, for the next request', async () => {
    sms.faults.failNext(1, { status: 200, body: smsRuErrorBody(500) });
    const res = await sendSmsRu('79990000001', 'x');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ERROR', status_code: 500 });
    expect(sms.state.messages).toHaveLength(0);
  });

  it('drops the connection during an outage', async () => {
    sms.faults.outage();
    await expect(sendSmsRu('79990000001', 'x')).rejects.toThrow(TypeError);
    sms.faults.outage(false);
    expect((await sendSmsRu('79990000001', 'x')).status).toBe(200);
  });

  it('answers 404 outside the three gateways', async () => {
    expect((await fetch(`${sms.url}/nowhere`, { method: 'POST' })).status).toBe(404);
  });

  it('takes credentials from options', async () => {
    const custom = await startSmsSim({ smsru: { apiId: 'mine' } });
    try {
      const res = await fetch(`${custom.url}/sms/send`, {
        method: 'POST',
        body: new URLSearchParams({ api_id: 'mine', json: '1', to: '79990000001', msg: 'x' }),
      });
      expect(await res.json()).toMatchObject({ status_code: 100 });
    } finally {
      await custom.close();
    }
  });
});
