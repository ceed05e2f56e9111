import { afterEach, describe, expect, it } from 'vitest';
import {
  createProzvonHost,
  type ProzvonHost,
  StaticTenants,
  type Tenant,
  type TenantRegistry,
  tenantFromVoicePath,
} from '../../src/index.js';
import type { DeliverCallResult, VoicePort } from '../../src/ports/index.js';
import { RecordingVoice, settle } from '../../src/testing/index.js';
import {
  callbackVoice,
  capturedLogs,
  DAYTIME,
  frontDefaults,
  recordingPorts,
  recordingTenant,
} from '../engine/harness.js';

let host: ProzvonHost | undefined;
afterEach(async () => {
  await host?.stop();
});

function shop(id: string, voice: RecordingVoice = callbackVoice(), status?: Tenant['status']) {
  const ports = recordingPorts({ voice });
  const tenant: Tenant = {
    ...recordingTenant(id, { shopName: `Магазин ${id}` }, ports),
    ...(status ? { status } : {}),
  };
  return { tenant, ...ports };
}

function wire(tenants: TenantRegistry, resolveTenant?: (request: Request) => string | null) {
  const defaults = frontDefaults();
  host = createProzvonHost({ ...defaults, tenants, ...(resolveTenant ? { resolveTenant } : {}) });
  return { host, store: defaults.store };
}

const lead = (ref?: string) =>
  JSON.stringify({ name: 'Анна', phone: '89161234567', ...(ref ? { ref } : {}) });

const SECRET = 'intake-secret-0123456789';

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  new Request(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}`, ...headers },
  });

const callback = (tenantId: string, leadId: string) =>
  post(`http://app.test/voice/${tenantId}`, JSON.stringify({ leadId, attempt: 1 }));

describe('createProzvonHost', () => {
  it("takes each tenant's leads through its own intake route and its own adapters", async () => {
    const a = shop('shop-a');
    const b = shop('shop-b');
    const { host } = wire(new StaticTenants([a.tenant, b.tenant]));
    await host.start();
    const toA = await host.intakeHandler('shop-a', { secret: SECRET })(
      post('http://app.test/leads/shop-a', lead('r1')),
    );
    const toB = await host.intakeHandler('shop-b', { secret: SECRET })(
      post('http://app.test/leads/shop-b', lead('r1')),
    );
    expect([toA.status, toB.status]).toEqual([202, 202]);
    const { leadId: leadA } = (await toA.json()) as { leadId: string };
    const { leadId: leadB } = (await toB.json()) as { leadId: string };
    expect(leadA).not.toBe(leadB); // the same `ref` in two shops is two orders
    await settle();

    expect(a.crm.createCalls).toEqual([`prozvon:${leadA}`]);
    expect(b.crm.createCalls).toEqual([`prozvon:${leadB}`]);
    expect(a.voice.started.map((call) => call.leadId)).toEqual([leadA]);
    expect(b.voice.started.map((call) => call.leadId)).toEqual([leadB]);
    expect((await host.getLead('shop-a', leadA))?.tenantId).toBe('shop-a');
    expect(await host.getLead('shop-b', leadA)).toBeNull();
  });

  it("adopts a tenant's CRM lead once per tenant: the same CRM id in another shop is another lead", async () => {
    const a = shop('shop-a');
    const b = shop('shop-b');
    const { host } = wire(new StaticTenants([a.tenant, b.tenant]));
    await host.start();
    const customer = { name: 'Анна', phone: '89161234567' };

    const first = await host.adoptCrmLead('shop-a', customer, { crmLeadId: '17' });
    const again = await host.adoptCrmLead('shop-a', customer, { crmLeadId: '17' });
    const other = await host.adoptCrmLead('shop-b', customer, { crmLeadId: '17' });
    await settle();

    expect(first).toMatchObject({ crmState: 'crm.created', state: 'call.dialing', known: false });
    expect(again).toMatchObject({ leadId: first.leadId, known: true });
    expect(other).toMatchObject({ known: false });
    expect(other.leadId).not.toBe(first.leadId);
    expect(a.crm.createCalls).toEqual([]);
    expect(a.voice.started.map((call) => call.leadId)).toEqual([first.leadId]);
    expect(b.voice.started.map((call) => call.leadId)).toEqual([other.leadId]);
  });

  it("routes a voice callback to the tenant its path names, which cannot move another tenant's lead", async () => {
    const a = shop('shop-a');
    const b = shop('shop-b');
    const { host, store } = wire(new StaticTenants([a.tenant, b.tenant]));
    await host.start();
    const { leadId: leadB } = await host.submitLead('shop-b', { name: 'Борис', phone: '89161234568' });
    await settle();
    expect((await store.getLead(leadB))?.callState).toBe('call.awaitingResult');

    // Tenant A's callback route (its adapter, its key) naming tenant B's lead.
    const stolen = await host.handleVoiceCallback(callback('shop-a', leadB));
    expect(await stolen.json()).toEqual({ outcome: 'unknown_lead' });
    await settle();
    expect((await store.getLead(leadB))?.callState).toBe('call.awaitingResult');
    expect(b.sms.sent).toHaveLength(0);

    const own = await host.handleVoiceCallback(callback('shop-b', leadB));
    expect(await own.json()).toEqual({
      outcome: 'applied',
      crmState: 'crm.created',
      callState: 'call.answered',
    });
    await settle();
    expect(b.sms.sent).toHaveLength(1);
    expect(a.sms.sent).toHaveLength(0);
  });

  it('answers 404 to a callback or a lead for a tenant it does not serve, storing nothing', async () => {
    const a = shop('shop-a');
    const { host, store } = wire(new StaticTenants([a.tenant]));
    await host.start();
    expect((await host.handleVoiceCallback(callback('nobody', 'x'))).status).toBe(404);
    expect((await host.handleVoiceCallback(post('http://app.test/voice/', '{}'))).status).toBe(404);
    expect((await host.handleVoiceCallback(post('http://app.test/other/shop-a', '{}'))).status).toBe(404);
    const intake = await host.intakeHandler('nobody', { secret: SECRET })(
      post('http://app.test/leads', lead()),
    );
    expect(intake.status).toBe(404);
    expect(await intake.json()).toEqual({ error: 'unknown_tenant' });
    expect((await store.stats()).unfinished).toBe(0);
  });

  it('answers 404 for a tenant whose voice adapter takes no callbacks', async () => {
    const plain = shop('plain', new RecordingVoice());
    const { host } = wire(new StaticTenants([plain.tenant]));
    expect((await host.handleVoiceCallback(callback('plain', 'x'))).status).toBe(404);
  });

  it("refuses a suspended tenant's leads with 503 and Retry-After, a removed one's with 404", async () => {
    const suspended = shop('paused', undefined, 'suspended');
    const removed = shop('gone', undefined, 'removed');
    const { host, store } = wire(new StaticTenants([suspended.tenant, removed.tenant]));
    await host.start();
    const paused = await host.intakeHandler('paused', { secret: SECRET })(
      post('http://app.test/leads', lead()),
    );
    expect(paused.status).toBe(503);
    expect(paused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(
      (await host.intakeHandler('gone', { secret: SECRET })(post('http://app.test/leads', lead()))).status,
    ).toBe(404);
    expect((await host.handleVoiceCallback(callback('gone', 'x'))).status).toBe(404);
    expect((await store.stats()).unfinished).toBe(0);
  });

  it('takes a resolveTenant of its own, and answers 503 when it fails', async () => {
    const a = shop('shop-a');
    const { host } = wire(new StaticTenants([a.tenant]), (request) => {
      if (request.headers.has('x-broken')) throw new Error('registry down');
      return request.headers.get('x-portal');
    });
    await host.start();
    const { leadId } = await host.submitLead('shop-a', { name: 'Анна', phone: '89161234567' });
    await settle();
    const body = JSON.stringify({ leadId, attempt: 1 });
    expect((await host.handleVoiceCallback(post('http://app.test/cb', body))).status).toBe(404);
    expect(
      (await host.handleVoiceCallback(post('http://app.test/cb', body, { 'x-broken': '1' }))).status,
    ).toBe(503);
    const answered = await host.handleVoiceCallback(
      post('http://app.test/cb', body, { 'x-portal': 'shop-a' }),
    );
    expect(await answered.json()).toMatchObject({ outcome: 'applied', callState: 'call.answered' });
  });
});

describe('tenantFromVoicePath', () => {
  it.each([
    ['http://app.test/voice/shop-a', 'shop-a'],
    ['http://app.test/prozvon/voice/shop%20b/result?x=1', 'shop b'],
    ['http://app.test/voice', null],
    ['http://app.test/voice/', null],
    ['http://app.test/voice/%E0%A4%A', null],
    ['http://app.test/leads/shop-a', null],
  ])('reads %s as %s', (url, tenantId) => {
    expect(tenantFromVoicePath(new Request(url))).toBe(tenantId);
  });
});

describe('a voice result that cannot be delivered', () => {
  it('is logged with its tenant and lead, though the adapter answers 500 and keeps no error', async () => {
    const voice = new RecordingVoice() as RecordingVoice & VoicePort;
    voice.handleCallback = async (_request: Request, deliver: DeliverCallResult) => {
      try {
        await deliver('lead-1', {
          type: 'CALL_RESULT',
          at: DAYTIME,
          attempt: 1,
          report: { key: 'lead:lead-1:dial:1', outcome: 'answered', durationSec: 5 },
        });
      } catch {
        return Response.json({ error: 'delivery_failed' }, { status: 500 });
      }
      return Response.json({ status: 'accepted' });
    };
    const { records, logger } = capturedLogs();
    const { store, clock } = frontDefaults();
    host = createProzvonHost({
      store,
      tenants: new StaticTenants([shop('tea', voice).tenant]),
      clock,
      logger,
    });
    await host.start();
    await store.close(); // every store call now fails
    const response = await host.handleVoiceCallback(post('https://shop.test/voice/tea', '{}'));
    expect(response.status).toBe(500);
    expect(records()).toContainEqual(
      expect.objectContaining({
        msg: 'voice result could not be delivered',
        tenantId: 'tea',
        leadId: 'lead-1',
      }),
    );
    host = undefined;
  });
});
