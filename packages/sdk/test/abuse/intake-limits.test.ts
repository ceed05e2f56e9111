import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createProzvon, type Prozvon, withClientAddress } from '../../src/index.js';
import type { LeadStore } from '../../src/ports/index.js';
import { SqliteLeadStore } from '../../src/stores/sqlite/index.js';
import { MemoryLeadStore } from '../../src/testing/index.js';
import { frontDefaults, recordingPorts } from '../engine/harness.js';
import { useTempDir } from '../stores/sqlite/temp-dir.js';

/** 11:10 in Moscow: 50 minutes to the end of the clock hour. */
const AT = Date.parse('2026-11-25T08:10:00Z');
const running: { prozvon: Prozvon; store: LeadStore }[] = [];
afterEach(async () => {
  for (const { prozvon, store } of running.splice(0)) {
    await prozvon.stop();
    await store.close();
  }
});

async function shop(store: LeadStore, abuse = {}) {
  const prozvon = createProzvon({ ...frontDefaults(AT), ...recordingPorts(), store, config: { abuse } });
  running.push({ prozvon, store });
  await prozvon.start();
  return prozvon;
}

const SECRET = 'intake-secret-0123456789';

/** The server-to-server route, which believes the `ip` the shop's server sends. */
const intake = (prozvon: Prozvon) => prozvon.intakeHandler({ secret: SECRET });

const post = (lead: Record<string, unknown>) =>
  new Request('http://shop.test/leads', {
    method: 'POST',
    body: JSON.stringify({ name: 'Анна', ...lead }),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
  });

async function leadsStored(store: LeadStore): Promise<number> {
  return (await store.stats()).byState.reduce((sum, row) => sum + row.count, 0);
}

describe('abuse limits over HTTP', () => {
  const dir = useTempDir();

  it('per phone: 429 with Retry-After, nothing stored, the refusal counted', async () => {
    const store = new MemoryLeadStore();
    const prozvon = await shop(store, { phonePerHour: 2 });
    for (const phone of ['8 916 123-45-67', '+79161234567']) {
      expect((await intake(prozvon)(post({ phone }))).status).toBe(202);
    }
    const refused = await intake(prozvon)(post({ phone: '+7 (916) 123-45-67' }));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe(String(50 * 60));
    expect(await refused.json()).toEqual({ error: 'too_many_requests' });
    expect(await leadsStored(store)).toBe(2);
    expect((await store.stats()).refusals).toEqual([{ tenantId: 'default', reason: 'phone_hour', count: 1 }]);
  });

  it('per IP: 429, whatever the phones, and nothing stored', async () => {
    const store = new MemoryLeadStore();
    const prozvon = await shop(store, { ipPerHour: 3 });
    for (let i = 1; i <= 3; i++) {
      expect((await intake(prozvon)(post({ phone: `+7916000000${i}`, ip: '203.0.113.9' }))).status).toBe(202);
    }
    const refused = await intake(prozvon)(post({ phone: '+79160000009', ip: '203.0.113.9' }));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe(String(50 * 60));
    expect(await leadsStored(store)).toBe(3);
    expect((await intake(prozvon)(post({ phone: '+79160000009', ip: '203.0.113.10' }))).status).toBe(202);
    expect((await store.stats()).refusals).toEqual([{ tenantId: 'default', reason: 'ip_hour', count: 1 }]);
  });

  it("per IP on the order form: the address is the connection's, so a body naming others escapes nothing", async () => {
    const store = new MemoryLeadStore();
    const prozvon = await shop(store, { ipPerHour: 2 });
    const fromBrowser = (i: number) =>
      withClientAddress(
        new Request('http://shop.test/order', {
          method: 'POST',
          body: JSON.stringify({ name: 'Анна', phone: `+7916000000${i}`, ip: `198.51.100.${i}` }),
          headers: { 'content-type': 'application/json' },
        }),
        '203.0.113.9',
      );
    expect((await prozvon.handleOrderForm(fromBrowser(1))).status).toBe(202);
    expect((await prozvon.handleOrderForm(fromBrowser(2))).status).toBe(202);
    expect((await prozvon.handleOrderForm(fromBrowser(3))).status).toBe(429);
    expect((await store.stats()).refusals).toEqual([{ tenantId: 'default', reason: 'ip_hour', count: 1 }]);
  });

  it('two engines on one SQLite file share the counts, and a reopen keeps them', async () => {
    const file = join(dir(), 'shop.db');
    const a = await shop(new SqliteLeadStore(file), { phonePerHour: 3 });
    const b = await shop(new SqliteLeadStore(file), { phonePerHour: 3 });
    const phone = '+79161234567';
    expect((await intake(a)(post({ phone }))).status).toBe(202);
    expect((await intake(b)(post({ phone }))).status).toBe(202);
    expect((await intake(a)(post({ phone }))).status).toBe(202);
    expect((await intake(b)(post({ phone }))).status).toBe(429);
    for (const { prozvon, store } of running.splice(0)) {
      await prozvon.stop();
      await store.close();
    }

    const store = new SqliteLeadStore(file);
    const reopened = await shop(store, { phonePerHour: 3 });
    expect((await intake(reopened)(post({ phone }))).status).toBe(429);
    expect(await leadsStored(store)).toBe(3);
    expect((await store.stats()).refusals).toEqual([{ tenantId: 'default', reason: 'phone_hour', count: 2 }]);
    running.splice(0);
    await reopened.stop();
    await store.close();
  });
});
