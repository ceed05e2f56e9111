import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createProzvon, type Prozvon } from '../../src/index.js';
import type { VoicePort } from '../../src/ports/index.js';
import { RecordingVoice, settle } from '../../src/testing/index.js';
import { callbackVoice, frontDefaults, recordingPorts } from '../engine/harness.js';

let prozvon: Prozvon | undefined;
afterEach(async () => {
  await prozvon?.stop();
});

const SECRET = 'intake-secret-0123456789';

function wire(voice: VoicePort = new RecordingVoice()) {
  const options = { ...frontDefaults(), ...recordingPorts({ voice }) };
  const { store, sms, crm } = options;
  prozvon = createProzvon({ ...options, config: { shopName: 'Чайная лавка' } });
  const intake = prozvon.intakeHandler({ secret: SECRET });
  return { prozvon, store, sms, crm, intake };
}

const post = (body: string, headers: Record<string, string> = {}) =>
  new Request('http://shop.test/leads', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}`, ...headers },
  });

describe('createProzvon', () => {
  it('wires the engine from its container and takes a lead through the intake route', async () => {
    const { prozvon, intake, store } = wire();
    await prozvon.start();
    const response = await intake(post(JSON.stringify({ name: 'Анна', phone: '89161234567', ref: 'r1' })));
    expect(response.status).toBe(202);
    const body = (await response.json()) as { leadId: string; state: string };
    expect(body.state).toBe('call.dialing');
    await settle();
    expect((await store.getLead(body.leadId))?.crmState).toBe('crm.created');
    expect(prozvon.config.shopName).toBe('Чайная лавка');

    const again = await intake(
      post(JSON.stringify({ name: 'Анна', phone: '89161234567', ref: 'r1', comment: 'ещё' })),
    );
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: 'duplicate', leadId: body.leadId });
  });

  it('answers a retried POST of a finished lead with its first 202, making no second lead', async () => {
    const { prozvon, intake, store } = wire();
    await prozvon.start();
    // An unusable number: the lead finishes as soon as its CRM lead exists.
    const order = JSON.stringify({ name: 'Анна', phone: '12345', ref: 'r2' });
    const first = await intake(post(order));
    const body = (await first.json()) as { leadId: string; state: string };
    await settle();
    expect((await store.getLead(body.leadId))?.finished).toBe(true);

    const retry = await intake(post(order));
    expect(retry.status).toBe(202);
    expect(await retry.json()).toEqual(body);
    expect((await store.stats()).unfinished).toBe(0);
  });

  it('answers a bad lead with 400 naming every field, and stores nothing', async () => {
    const { prozvon, intake, store } = wire();
    await prozvon.start();
    const response = await intake(post(JSON.stringify({ name: '', orderSum: -1 })));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'invalid_lead',
      issues: [
        { path: 'name', message: 'Required' },
        { path: 'phone', message: 'Required' },
        { path: 'orderSum', message: 'Must be 0 or more' },
      ],
    });
    expect((await store.stats()).unfinished).toBe(0);
  });

  it.each([
    ['broken JSON', post('{"name":'), 400],
    ['a JSON array', post('[]'), 400],
    ['a GET', new Request('http://shop.test/leads'), 405],
    ['a body over 64 KiB', post(JSON.stringify({ name: 'x'.repeat(70_000), phone: '1' })), 413],
  ])('answers %s with %i', async (_case, request, status) => {
    const { prozvon, intake } = wire();
    await prozvon.start();
    expect((await intake(request)).status).toBe(status);
  });

  it('checks the intake secret', async () => {
    const { prozvon, intake } = wire();
    await prozvon.start();
    const lead = JSON.stringify({ name: 'Анна', phone: '89161234567' });
    expect((await intake(post(lead, { authorization: '' }))).status).toBe(401);
    expect((await intake(post(lead, { authorization: '', 'x-prozvon-secret': 'wrong!' }))).status).toBe(401);
    expect((await intake(post(lead, { authorization: '', 'x-prozvon-secret': SECRET }))).status).toBe(202);
  });

  it("takes a browser's order on handleOrderForm, and a partner the customer typed never reaches the CRM", async () => {
    const { prozvon, crm } = wire();
    await prozvon.start();
    const response = await prozvon.handleOrderForm(
      new Request('http://shop.test/order', {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: 'utm_source=PARTNER42' },
        body: JSON.stringify({
          name: 'Анна',
          phone: '89161234567',
          partnerCode: 'EVIL',
          utm: { source: 'EVIL' },
          orderSum: 1,
          ip: '203.0.113.66',
          city: 'Нигде',
        }),
      }),
    );
    expect(response.status).toBe(202);
    await settle();
    const [created] = [...crm.leads.values()];
    expect(created?.lead).toMatchObject({
      name: 'Анна',
      partnerCode: 'PARTNER42',
      utm: { source: 'PARTNER42' },
    });
    expect(created?.lead.orderSum).toBeUndefined();
    expect(created?.lead.ip).toBeUndefined();
    expect(created?.lead.city).toBeUndefined();
  });

  it('takes a plain HTML form on handleOrderForm; the server intake stays JSON (415)', async () => {
    const { prozvon, intake } = wire();
    await prozvon.start();
    const form = (ref: string) => new URLSearchParams({ name: 'Анна', phone: '89161234567', ref });
    const fromBrowser = await prozvon.handleOrderForm(
      new Request('http://shop.test/order', { method: 'POST', body: form('f1') }),
    );
    expect(fromBrowser.status).toBe(202);
    const toServerRoute = await intake(
      post(form('f2').toString(), { 'content-type': 'application/x-www-form-urlencoded' }),
    );
    expect(toServerRoute.status).toBe(415);
    expect(toServerRoute.headers.get('accept-post')).toBe('application/json');
  });

  it('never answers 5xx, whatever the body', async () => {
    const { prozvon, intake } = wire();
    await prozvon.start();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc
            .record({ name: fc.anything(), phone: fc.anything(), ref: fc.anything(), items: fc.anything() })
            .map((body) => JSON.stringify(body)),
        ),
        async (body) => {
          const response = await intake(post(body));
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('hands the voice callback route to the voice adapter, with deliver', async () => {
    const { prozvon, sms } = wire(callbackVoice());
    await prozvon.start();
    const { leadId } = await prozvon.submitLead({ name: 'Анна', phone: '89161234567' });
    await settle();
    const response = await prozvon.handleVoiceCallback(post(JSON.stringify({ leadId, attempt: 1 })));
    expect(await response.json()).toEqual({
      outcome: 'applied',
      crmState: 'crm.created',
      callState: 'call.answered',
    });
    await settle();
    expect(sms.sent).toHaveLength(1);
  });

  it('says so when the voice adapter takes no callbacks', async () => {
    const { prozvon } = wire();
    expect((await prozvon.handleVoiceCallback(post('{}'))).status).toBe(404);
  });
});
