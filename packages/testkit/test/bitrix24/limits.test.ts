import { B24Hook } from '@bitrix24/b24jssdk';
import { describe, expect, it } from 'vitest';
import { bitrix24Faults, ManualClock } from '../../src/bitrix24/index.js';
import { post, request, startSim } from './helpers.js';

describe('limits and faults (BITRIX24.md §1, §7, §9.4–5)', () => {
  it('drains a leaky bucket of 50 at 2 per second and answers 503 QUERY_LIMIT_EXCEEDED beyond it', async () => {
    const clock = new ManualClock();
    const sim = await startSim({ clock });
    const hook = sim.webhookUrl();
    for (let i = 0; i < 50; i++) expect((await post(hook, 'profile')).status).toBe(200);
    const refused = await post(hook, 'profile');
    expect(refused).toEqual({
      status: 503,
      body: { error: 'QUERY_LIMIT_EXCEEDED', error_description: expect.any(String) },
    });
    clock.advance(499);
    expect((await post(hook, 'profile')).status).toBe(503);
    clock.advance(1);
    expect((await post(hook, 'profile')).status).toBe(200); // 0.5 s drained one request
    expect((await post(hook, 'profile')).status).toBe(503);
  });

  it('counts per portal, counts a batch as one request, and gives enterprise portals 250 / 5 per s', async () => {
    const clock = new ManualClock();
    const sim = await startSim({ clock, portals: [{ key: 'std' }, { key: 'ent', plan: 'enterprise' }] });
    for (let i = 0; i < 50; i++) await post(sim.webhookUrl('std'), 'profile');
    expect((await post(sim.webhookUrl('std'), 'profile')).status).toBe(503);
    const cmd = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`c${i}`, 'profile']));
    for (let i = 0; i < 250; i++)
      expect((await post(sim.webhookUrl('ent'), 'batch', { cmd })).status).toBe(200);
    expect((await post(sim.webhookUrl('ent'), 'profile')).status).toBe(503);
    clock.advance(200);
    expect((await post(sim.webhookUrl('ent'), 'profile')).status).toBe(200);
  });

  it("counts each portal's REST requests by method, and those the bucket refused", async () => {
    const clock = new ManualClock();
    const sim = await startSim({
      clock,
      rateLimit: { burst: 2, drainPerSecond: 1 },
      portals: [{ key: 'a' }, { key: 'b' }],
    });
    const cmd = { one: 'profile', two: 'profile' };
    expect((await post(sim.webhookUrl('a'), 'batch', { cmd })).status).toBe(200);
    expect((await post(sim.webhookUrl('a'), 'profile')).status).toBe(200);
    expect((await post(sim.webhookUrl('a'), 'profile')).status).toBe(503);
    expect((await post(sim.webhookUrl('b'), 'profile')).status).toBe(200);
    const { total, queryLimitExceeded, byMethod } = sim.portal('a').restRequests;
    expect({ total, queryLimitExceeded, byMethod: Object.fromEntries(byMethod) }).toEqual({
      total: 3,
      queryLimitExceeded: 1,
      byMethod: { batch: 1, profile: 2 },
    });
    expect(sim.portal('b').restRequests.total).toBe(1);
  });

  it('takes other bucket sizes and an off switch', async () => {
    const clock = new ManualClock();
    const sim = await startSim({ clock, rateLimit: { burst: 2, drainPerSecond: 1 } });
    const hook = sim.webhookUrl();
    expect((await post(hook, 'profile')).status).toBe(200);
    expect((await post(hook, 'profile')).status).toBe(200);
    expect((await post(hook, 'profile')).status).toBe(503);
    sim.setRateLimit(false);
    for (let i = 0; i < 120; i++) expect((await post(hook, 'profile')).status).toBe(200);
  });

  it('blocks one method over its operating time with 429 OPERATION_TIME_LIMIT until the window moves', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 25, 9, 0, 0));
    const sim = await startSim({
      clock,
      rateLimit: false,
      operatingLimit: {
        windowMs: 600_000,
        limitMs: 480_000,
        costMs: (m) => (m === 'crm.lead.list' ? 100_000 : 1),
      },
    });
    const hook = sim.webhookUrl();
    const operating: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { status, body } = await post(hook, 'crm.lead.list');
      expect(status).toBe(200);
      operating.push(body.time.operating);
      expect(body.time.operating_reset_at).toBe(Date.UTC(2026, 10, 25, 9, 10, 0) / 1000);
    }
    expect(operating).toEqual([100, 200, 300, 400, 500]);
    expect(await post(hook, 'crm.lead.list')).toEqual({
      status: 429,
      body: { error: 'OPERATION_TIME_LIMIT', error_description: expect.any(String) },
    });
    expect((await post(hook, 'crm.lead.fields')).status).toBe(200); // other methods keep working
    clock.advance(600_000);
    expect((await post(hook, 'crm.lead.list')).status).toBe(200);
  });

  // limits.md, "Resource Intensity Limits": a basket's countdown starts at the first call of its
  // minute and lasts 10 minutes (first call 10:05:20 → operating_reset_at 10:15:20); then that
  // basket's time leaves `operating` and the method is open again.
  it('resets each one-minute basket 10 minutes after its first call, not at the minute boundary', async () => {
    const clock = new ManualClock(Date.UTC(2026, 4, 14, 10, 5, 20));
    const sim = await startSim({
      clock,
      rateLimit: false,
      operatingLimit: { windowMs: 600_000, limitMs: 480_000, costMs: () => 250_000 },
    });
    const hook = sim.webhookUrl();
    const first = await post(hook, 'crm.lead.list');
    expect(first.body.time.operating_reset_at).toBe(Date.UTC(2026, 4, 14, 10, 15, 20) / 1000);
    clock.advance(60_000); // 10:06:20, the next basket
    const second = await post(hook, 'crm.lead.list');
    expect(second.body.time).toMatchObject({
      operating: 500,
      operating_reset_at: Date.UTC(2026, 4, 14, 10, 15, 20) / 1000,
    });
    clock.set(Date.UTC(2026, 4, 14, 10, 15, 19));
    expect((await post(hook, 'crm.lead.list')).status).toBe(429);
    clock.set(Date.UTC(2026, 4, 14, 10, 15, 20));
    const reopened = await post(hook, 'crm.lead.list');
    expect(reopened.status).toBe(200);
    // The 10:05 basket is gone; the 10:06:20 one now decides the reset time.
    expect(reopened.body.time).toMatchObject({
      operating: 500,
      operating_reset_at: Date.UTC(2026, 4, 14, 10, 16, 20) / 1000,
    });
  });

  it('answers 401 expired_token once an access token is an hour old', async () => {
    const clock = new ManualClock();
    const sim = await startSim({ clock });
    const app = sim.registerApp();
    const { auth } = await sim.installApp(app.clientId);
    expect((await post(`${sim.url}/rest/`, 'profile', { auth: auth.access_token })).status).toBe(200);
    clock.advance(3_600_000);
    expect(await post(`${sim.url}/rest/`, 'profile', { auth: auth.access_token })).toEqual({
      status: 401,
      body: { error: 'expired_token', error_description: 'The access token provided has expired.' },
    });
  });

  it('answers WRONG_AUTH_TYPE when a webhook calls app-only methods', async () => {
    const sim = await startSim();
    for (const method of [
      'event.bind',
      'placement.bind',
      'app.option.set',
      'telephony.externalCall.finish',
    ]) {
      const { status, body } = await post(sim.webhookUrl(), method, {});
      expect({ method, status, error: body.error }).toEqual({
        method,
        status: 403,
        error: 'WRONG_AUTH_TYPE',
      });
    }
  });

  it('injects faults: the 502 HTML page by default, any Bitrix24 error on request', async () => {
    const sim = await startSim();
    const hook = sim.webhookUrl();
    sim.faults.failNext(1);
    const down = await request(`${hook}profile`);
    expect(down.status).toBe(502);
    expect(down.body).toContain('502 Bad Gateway');
    sim.faults.failNext(1, bitrix24Faults.overload);
    expect(await post(hook, 'profile')).toEqual({
      status: 503,
      body: { error: 'OVERLOAD_LIMIT', error_description: expect.any(String) },
    });
    expect((await post(hook, 'profile')).status).toBe(200);
    sim.faults.outage();
    await expect(fetch(`${hook}profile`)).rejects.toThrow();
    sim.faults.reset();
    expect((await post(hook, 'profile')).status).toBe(200);
  });

  it('lets b24jssdk retry through one 502 and succeed', async () => {
    const sim = await startSim();
    const b24 = B24Hook.fromWebhookUrl(sim.webhookUrl());
    sim.faults.failNext(1);
    const result = await b24.actions.v2.call.make<{ ID: string }>({ method: 'profile' });
    expect(result.getData()?.result.ID).toBe('1');
  });
});
