import { describe, expect, it } from 'vitest';
import { AbuseGuard } from '../../src/abuse/index.js';
import { type TenantConfigInput, tenantConfigSchema } from '../../src/config/index.js';
import { RateLimitedLeadError } from '../../src/engine/index.js';
import { leadInputSchema } from '../../src/lead/index.js';
import { MemoryLeadStore } from '../../src/testing/index.js';

/** 11:00 in Moscow, Wednesday 25 November 2026. */
const AT = Date.parse('2026-11-25T08:00:00Z');
const HOUR = 3_600_000;

function guard(abuse: TenantConfigInput['abuse'] = {}, extra: TenantConfigInput = {}) {
  const store = new MemoryLeadStore();
  const config = tenantConfigSchema.parse({ ...extra, abuse });
  const admit = (lead: { phone: string; ip?: string }, at = AT, tenantId = 'shop-1') =>
    new AbuseGuard(store).admit(tenantId, config, leadInputSchema.parse({ name: 'Анна', ...lead }), at);
  return { store, admit };
}

async function refusal(promise: Promise<unknown>): Promise<RateLimitedLeadError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RateLimitedLeadError);
  return error as RateLimitedLeadError;
}

describe('abuse guard: per phone and per IP', () => {
  it('refuses the phone past its hourly limit, however the number is spelt, until the hour ends', async () => {
    const { admit, store } = guard({ phonePerHour: 2 });
    await admit({ phone: '8 (916) 123-45-67' });
    await admit({ phone: '+7 916 1234567' });
    const error = await refusal(admit({ phone: '00 7 916 123 45 67' }, AT + 10 * 60_000));
    expect(error).toMatchObject({ code: 'too_many_requests', limit: 'phone_hour', retryAfterSec: 50 * 60 });
    expect(await admit({ phone: '8 916 123-45-67' }, AT + HOUR)).toEqual({ callsAllowed: true });
    expect((await store.stats()).refusals).toEqual([{ tenantId: 'shop-1', reason: 'phone_hour', count: 1 }]);
  });

  it("refuses the phone past its daily limit until the shop's day ends", async () => {
    const { admit } = guard({ phonePerHour: null, phonePerDay: 3 });
    for (let i = 0; i < 3; i++) await admit({ phone: '+79161234567' }, AT + i * HOUR);
    const error = await refusal(admit({ phone: '+79161234567' }, AT + 3 * HOUR));
    // 14:00 in Moscow: ten hours to midnight there.
    expect(error).toMatchObject({ limit: 'phone_day', retryAfterSec: 10 * 3_600 });
    await admit({ phone: '+79161234567' }, Date.parse('2026-11-25T21:00:00Z'));
  });

  it('refuses an IP past its hourly limit, whatever the phones; a /64 is one IP', async () => {
    const { admit } = guard({ ipPerHour: 2 });
    await admit({ phone: '+79160000001', ip: '2001:db8::1' });
    await admit({ phone: '+79160000002', ip: '2001:db8::2' });
    expect(await refusal(admit({ phone: '+79160000003', ip: '2001:db8::3' }))).toMatchObject({
      limit: 'ip_hour',
    });
    await admit({ phone: '+79160000003', ip: '198.51.100.7' });
    await admit({ phone: '+79160000004' });
  });

  it('a refused lead is not counted: the phone keeps its place', async () => {
    const { admit } = guard({ phonePerHour: 5, ipPerHour: 1 });
    await admit({ phone: '+79160000001', ip: '198.51.100.7' });
    for (let i = 0; i < 5; i++) await refusal(admit({ phone: '+79160000002', ip: '198.51.100.7' }));
    await admit({ phone: '+79160000002', ip: '198.51.100.8' });
  });

  it('keeps tenants apart, and null switches a limit off', async () => {
    const { admit } = guard({ phonePerHour: 1, phonePerDay: null, ipPerHour: null });
    await admit({ phone: '+79161234567', ip: '198.51.100.7' }, AT, 'shop-1');
    await admit({ phone: '+79161234567', ip: '198.51.100.7' }, AT, 'shop-2');
    const off = guard({ phonePerHour: null, phonePerDay: null, ipPerHour: null });
    for (let i = 0; i < 20; i++) await off.admit({ phone: '+79161234567', ip: '198.51.100.7' });
  });

  it('the defaults let a real customer order again and again', async () => {
    const { admit } = guard();
    for (let i = 0; i < 5; i++) await admit({ phone: '+79161234567', ip: '198.51.100.7' }, AT + i * 60_000);
    await refusal(admit({ phone: '+79161234567', ip: '198.51.100.7' }, AT + 5 * 60_000));
  });
});

describe("abuse guard: the shop's daily ceilings", () => {
  const open = { phonePerHour: null, phonePerDay: null, ipPerHour: null };

  it('each callable lead reserves maxAttempts calls; past the ceiling, calls are not allowed', async () => {
    const { admit } = guard({ ...open, callsPerDay: 7 }, { maxAttempts: 3 });
    expect(await admit({ phone: '+79160000001' })).toEqual({ callsAllowed: true });
    expect(await admit({ phone: '+79160000002' })).toEqual({ callsAllowed: true });
    expect(await admit({ phone: '+79160000003' })).toEqual({ callsAllowed: false });
    // The next day, in the shop's zone (00:30 in Moscow).
    expect(await admit({ phone: '+79160000003' }, Date.parse('2026-11-25T21:30:00Z'))).toEqual({
      callsAllowed: true,
    });
  });

  it('each lead reserves the SMS it could get; with no SMS texts it reserves none', async () => {
    const { admit } = guard({ ...open, callsPerDay: null, smsPerDay: 3 });
    expect(await admit({ phone: '+79160000001' })).toEqual({ callsAllowed: true });
    expect(await admit({ phone: '+79160000002' })).toEqual({ callsAllowed: false });
    const silent = guard(
      { ...open, callsPerDay: null, smsPerDay: 1 },
      {
        sms: { night: '', answered: '', machine: '' },
      },
    );
    for (let i = 0; i < 3; i++)
      expect(await silent.admit({ phone: `+7916000000${i}` })).toEqual({ callsAllowed: true });
  });

  it('a number that will never be rung reserves nothing', async () => {
    const { admit } = guard({ ...open, callsPerDay: 3 });
    for (let i = 0; i < 3; i++) expect(await admit({ phone: '12345' })).toEqual({ callsAllowed: true });
    expect(await admit({ phone: '+79160000001' })).toEqual({ callsAllowed: true });
  });
});
