import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tenantConfigSchema } from '../../src/config/index.js';
import { LeadEngine, type Logger, StaticTenants, silentLogger, type Tenant } from '../../src/engine/index.js';
import { type JsonValue, PermanentError, RateLimitedError } from '../../src/ports/index.js';
import { SimulatedClock, settle } from '../../src/testing/index.js';
import { capturedLogs, customer, LOG_LEVEL, MINUTE, startEngine, useStore } from './harness.js';

// The defects a review of the engine found (issue 13), each pinned by a test that failed before
// its fix. Multi-tenant and fairness cases are in tenants.test.ts.

type Harness = Awaited<ReturnType<typeof startEngine>>;
let h: Harness;
afterEach(async () => {
  await h?.engine.stop();
  await h?.store.close();
});

describe.each(['memory', 'sqlite'] as const)('engine defects on the %s store', (kind) => {
  beforeAll(() => useStore(kind));

  it('1: a dial held back past the callback timeout is performed, and the lead never goes to manual before it', async () => {
    // One call of this shop at a time; the first hangs for a while (a slow StartScenarios).
    h = await startEngine({ config: { maxCallsInFlight: 1 }, engine: { leaseMs: 60 * MINUTE } });
    h.voice.hang('startCall');
    await h.engine.submitLead(customer);
    const second = await h.engine.submitLead({ ...customer, phone: '+7 916 765-43-21' });
    await h.settle();
    // Ten minutes later the first call still hangs: the second dial waits in the shop's queue.
    await h.clock.advance(10 * MINUTE);
    expect((await h.lead(second.leadId)).callState).toBe('call.dialing');
    expect(h.notifier.notices.filter((notice) => notice.kind === 'manual')).toEqual([]);
    // The first call's deadline (two thirds of the lease) frees the slot; the second is sent.
    await h.clock.advance(40 * MINUTE);
    expect(h.voice.started[0]?.leadId).toBe(second.leadId);
    expect(h.notifier.notices.filter((notice) => notice.kind === 'manual')).toEqual([]);
  });

  it('1: stopping calls cancels a queued dial: it is never performed', async () => {
    h = await startEngine({ config: { maxCallsInFlight: 1 } });
    h.voice.hang('startCall');
    await h.engine.submitLead(customer);
    const queued = await h.engine.submitLead({ ...customer, phone: '+7 916 765-43-21' });
    await h.settle();
    expect(await h.engine.cancelCalls('default', queued.leadId, 'seller:7')).toMatchObject({
      outcome: 'applied',
      callState: 'call.manual',
    });
    await h.clock.advance(60 * MINUTE);
    expect(h.voice.started.map((call) => call.leadId)).not.toContain(queued.leadId);
    const dial = (await h.store.getEffects(queued.leadId)).find((effect) => effect.kind === 'dial');
    expect(dial).toMatchObject({ status: 'failed', result: { cancelled: true } });
    const audit = await h.store.getAudit(queued.leadId);
    expect(audit.some((entry) => JSON.stringify(entry.detail).includes('seller:7'))).toBe(true);
  });

  it('2: an idempotent effect left started by a dead instance is retried when its lease runs out, not at the next unrelated wake', async () => {
    h = await startEngine();
    await h.engine.stop();
    const now = h.clock.now();
    const notice = {
      kind: 'manual',
      key: 'lead:other:notify:x',
      leadId: 'other',
      customerName: 'А',
      phone: '+79161234567',
      reason: 'no_answer',
    };
    await h.store.insertLead(
      {
        id: 'other',
        tenantId: 'default',
        ref: null,
        crmState: 'crm.created',
        callState: 'call.manual',
        snapshot: null,
        wakeAt: null,
        finished: false,
        submittedAt: now,
      },
      [
        {
          key: notice.key,
          leadId: 'other',
          tenantId: 'default',
          kind: 'notify',
          paid: false,
          params: { key: notice.key, notice },
          availableAt: now,
          priority: now,
          // Claimed by an instance that died right after; its lease runs 30 s.
          claim: { owner: 'dead-instance', leaseUntil: now + 30_000 },
        },
      ],
      [],
    );
    const restarted = new LeadEngine(h.store, tenantsOf(h), h.clock, silent(), { owner: 'restarted' });
    await restarted.start();
    try {
      await h.clock.advance(31_000);
      expect(h.notifier.notices.map((n) => n.key)).toEqual([notice.key]);
    } finally {
      await restarted.stop();
    }
  });

  it('3: one lead whose snapshot cannot be read is parked with a back-off; the others of its chunk are woken', async () => {
    h = await startEngine({ at: Date.parse('2026-11-25T20:30:00Z') }); // night: leads wait
    const good = await h.engine.submitLead(customer);
    const bad = await h.engine.submitLead({ ...customer, phone: '+7 916 765-43-21' });
    await h.settle();
    await h.store.updateLead(bad.leadId, (stored) => ({
      ...stored,
      snapshot: { value: { crm: 'nowhere', call: 'night' }, context: {}, v: 99 },
      updatedAt: h.clock.now(),
      effects: [],
      audit: [],
    }));
    await h.clock.advance(13 * 60 * MINUTE); // past 09:00 Moscow
    expect((await h.lead(good.leadId)).callState).not.toBe('call.night');
    const parked = await h.lead(bad.leadId);
    expect(parked.callState).toBe('call.night');
    expect(parked.wakeAt).toBeGreaterThan(h.clock.now());
    const trail = (await h.store.getAudit(bad.leadId)).filter((entry) => entry.type === 'parked');
    expect(trail.length).toBeGreaterThan(0);
    // Backed off, not retried in a loop: over 13 hours, a handful of looks.
    expect(trail.length).toBeLessThan(12);
    expect(JSON.stringify(trail[0]?.detail)).toContain('newer than this one');
  });

  it('4: a claimed dial that could not start (the tenant look-up failed) goes back to pending and is sent later', async () => {
    let tenants: FlakyTenants | undefined;
    h = await startEngine({
      config: { maxCallsInFlight: 1 },
      registry: (tenant) => {
        tenants = new FlakyTenants(tenant);
        return tenants;
      },
    });
    if (!tenants) throw new Error('no registry');
    h.voice.hang('startCall');
    await h.engine.submitLead(customer);
    const second = await h.engine.submitLead({ ...customer, phone: '+7 916 765-43-21' });
    await h.settle();
    tenants.failNext = 2;
    await h.clock.advance(30 * MINUTE);
    expect(h.voice.started.map((call) => call.leadId)).toContain(second.leadId);
  });

  it('5: a hung StartScenarios is abandoned at its deadline: the slot frees and the lead waits its callback timeout', async () => {
    h = await startEngine({ config: { maxCallsInFlight: 1 }, engine: { leaseMs: 30_000 } });
    h.voice.hang('startCall');
    const first = await h.engine.submitLead(customer);
    await h.clock.advance(20_000);
    expect((await h.lead(first.leadId)).callState).toBe('call.awaitingResult');
    const second = await h.engine.submitLead({ ...customer, phone: '+7 916 765-43-21' });
    await h.settle();
    expect(h.voice.started.map((call) => call.leadId)).toEqual([second.leadId]);
  });

  it('5: a slow CRM write keeps its lease while in flight: no second instance may take it', async () => {
    h = await startEngine({ engine: { leaseMs: 30_000, callDeadlineMs: 25_000 } });
    h.crm.hang('createLead');
    const { leadId } = await h.engine.submitLead(customer);
    await h.settle();
    await h.clock.advance(24_000);
    const create = (await h.store.getEffects(leadId)).find((effect) => effect.kind === 'createCrmLead');
    expect(create?.status).toBe('started');
    // Renewed: still leased well past the first 30 s.
    expect(create?.leaseUntil).toBeGreaterThan(h.clock.now() + 10_000);
    expect(await h.store.claimEffects(h.clock.now() + 7_000, 10, 'another', 30_000)).toEqual([]);
    await h.clock.advance(2_000); // past its deadline: the hung request is let go
  });

  it('6: an unknown error is retried a bounded number of times, then the CRM region goes to manual with a notice', async () => {
    h = await startEngine({ engine: { maxEffectAttempts: 4 } });
    h.answerCalls('answered');
    h.crm.fail('createLead', new TypeError('Cannot read properties of undefined'), 100);
    const { leadId } = await h.engine.submitLead(customer);
    await h.clock.advance(60 * MINUTE);
    const lead = await h.lead(leadId);
    expect(lead.crmState).toBe('crm.manual');
    expect(lead.finished).toBe(true);
    expect(h.notifier.notices.map((notice) => notice.kind)).toContain('crmFailed');
    const create = (await h.store.getEffects(leadId)).find((effect) => effect.kind === 'createCrmLead');
    expect(create).toMatchObject({ status: 'failed', attempts: 4 });
    expect(JSON.stringify(create?.result)).toContain('gave up after 4 attempts');
  });

  it('6: rate limits alone never give a dial up: twenty 429s are not a refusal', async () => {
    h = await startEngine({ engine: { maxEffectAttempts: 3 } });
    h.voice.fail('startCall', new RateLimitedError('Voximplant 429', 1_000), 5);
    const { leadId } = await h.engine.submitLead(customer);
    await h.clock.advance(MINUTE);
    expect(h.voice.started).toHaveLength(1);
    expect((await h.lead(leadId)).callState).toBe('call.awaitingResult');
  });

  it('1: a dial claimed before a stop and performed after it is never sent', async () => {
    let registry: HeldTenants | undefined;
    h = await startEngine({
      registry: (tenant) => {
        registry = new HeldTenants([tenant]);
        return registry;
      },
    });
    if (!registry) throw new Error('no registry');
    registry.holdPerforming = true;
    const { leadId } = await h.engine.submitLead(customer);
    await h.settle();
    expect(await h.engine.cancelCalls('default', leadId, 'seller:7')).toMatchObject({ outcome: 'applied' });
    registry.release();
    await h.clock.advance(MINUTE);
    expect(h.voice.started).toEqual([]);
    const dial = (await h.store.getEffects(leadId)).find((effect) => effect.kind === 'dial');
    expect(dial).toMatchObject({ status: 'failed', result: { cancelled: true } });
  });

  it('3: a lead of an older machine whose stored wake-up it no longer wants is not claimed at every lease', async () => {
    h = await startEngine({ engine: { leaseMs: 60 * MINUTE, stopTimeoutMs: 10 } });
    h.voice.hang('startCall', 2);
    const { leadId } = await h.engine.submitLead(customer);
    await h.settle();
    await h.engine.stop();
    const timeout = h.clock.now() + 5 * MINUTE;
    // As machine version 1 stored a lead whose dial was queued: the timeout counted from the decision.
    await h.store.updateLead(leadId, (stored) => {
      const snapshot = stored.snapshot as { value: JsonValue; context: { [key: string]: JsonValue } };
      return {
        ...stored,
        callState: 'call.dialing',
        snapshot: {
          value: { crm: 'created', call: 'dialing' },
          context: { ...snapshot.context, callWakeAt: timeout },
        },
        wakeAt: timeout,
        updatedAt: h.clock.now(),
        effects: [],
        audit: [],
      };
    });
    const restarted = new LeadEngine(h.store, tenantsOf(h), h.clock, silent(), { owner: 'restarted' });
    await restarted.start();
    try {
      await h.clock.advance(6 * MINUTE);
      const lead = await h.lead(leadId);
      expect(lead.callState).toBe('call.dialing');
      expect([lead.wakeAt, lead.leaseOwner]).toEqual([null, null]);
    } finally {
      await restarted.stop();
    }
  });

  it('9: a failed SMS is logged at warn with the provider’s reason and counted per tenant and kind', async () => {
    const { logger, records } = capturedLogs();
    h = await startEngine({ logger });
    h.answerCalls('answered');
    h.sms.fail('send', new PermanentError('SMS.ru: api_id is revoked'));
    await h.engine.submitLead(customer);
    await h.clock.advance(MINUTE);
    const warned = records().filter((line) => line.level === LOG_LEVEL.warn && line.effect === 'sendSms');
    expect(JSON.stringify(warned)).toContain('api_id is revoked');
    expect((await h.engine.stats()).failures).toEqual([
      { tenantId: 'default', kind: 'sendSms', reason: 'failed', count: 1 },
    ]);
  });

  it('15: waiting for a rate limit is not a warning', async () => {
    const { logger, records } = capturedLogs();
    h = await startEngine({ logger });
    h.notifier.fail('notify', new RateLimitedError('chat is busy', 3_000), 3);
    h.answerCalls('answered');
    await h.engine.submitLead(customer);
    await h.clock.advance(MINUTE);
    expect(h.notifier.notices).toHaveLength(1);
    expect(records().filter((line) => line.level >= LOG_LEVEL.warn)).toEqual([]);
  });

  it('12: the provider refused the call (no balance): manual at once, sellers told with its reason, no retry', async () => {
    h = await startEngine();
    h.voice.onStart = (request) =>
      setImmediate(() =>
        h.engine.deliver('default', request.leadId, {
          type: 'CALL_RESULT',
          at: h.clock.now(),
          attempt: request.attempt,
          report: {
            key: request.key,
            outcome: 'refused',
            durationSec: 0,
            failureCode: 402,
            detail: 'insufficient funds',
          },
        }),
      );
    const { leadId } = await h.engine.submitLead(customer);
    await h.clock.advance(2 * 60 * MINUTE);
    const lead = await h.lead(leadId);
    expect(lead.callState).toBe('call.manual');
    expect(h.voice.started).toHaveLength(1);
    expect(h.sms.sent).toEqual([]);
    expect(h.notifier.notices.find((notice) => notice.kind === 'manual')).toMatchObject({
      reason: 'provider_refused',
      detail: 'insufficient funds',
    });
  });

  it('13: retryCrm sends a crm.manual lead to the CRM again, once its token is fixed; audited with who asked', async () => {
    h = await startEngine();
    h.answerCalls('answered');
    h.crm.fail('createLead', new PermanentError('WRONG_AUTH'));
    const { leadId } = await h.engine.submitLead(customer);
    await h.settle();
    expect((await h.lead(leadId)).crmState).toBe('crm.manual');
    expect(await h.engine.retryCrm('default', leadId, 'admin:1')).toMatchObject({ outcome: 'applied' });
    await h.clock.advance(MINUTE);
    const lead = await h.lead(leadId);
    expect(lead.crmState).toBe('crm.created');
    expect(h.crm.leads.size).toBe(1);
    const audit = await h.store.getAudit(leadId);
    expect(audit.some((entry) => JSON.stringify(entry.detail).includes('admin:1'))).toBe(true);
    // Nothing to retry now.
    expect(await h.engine.retryCrm('default', leadId, 'admin:1')).toMatchObject({
      outcome: 'not_applicable',
    });
  });

  it('16: a dial stored started whose instance died is closed as abandoned; history shows no call, so it dials again', async () => {
    h = await startEngine();
    await h.engine.stop();
    // Instance A claims the dial and dies before the request leaves: its clock never moves again.
    const deadClock = new SimulatedClock(h.clock.now());
    const dead = new LeadEngine(h.store, tenantsOf(h), deadClock, silent(), { owner: 'dead' });
    await dead.start();
    h.voice.hang('startCall');
    const { leadId } = await dead.submitLead(customer);
    await settle();
    expect(h.voice.started).toEqual([]);
    // Instance B starts; the dial is an orphan once A's lease runs out.
    const restarted = new LeadEngine(h.store, tenantsOf(h), h.clock, silent(), { owner: 'restarted' });
    h.voice.onStart = (request) =>
      setImmediate(() =>
        restarted.deliver('default', request.leadId, {
          type: 'CALL_RESULT',
          at: h.clock.now(),
          attempt: request.attempt,
          report: { key: request.key, outcome: 'answered', durationSec: 30 },
        }),
      );
    await restarted.start();
    try {
      await h.clock.advance(31_000); // closed as abandoned: the callback timeout counts from here
      expect((await h.lead(leadId)).callState).toBe('call.awaitingResult');
      await h.clock.advance(6 * MINUTE); // call history has no call under dial:1 → attempt 2
      const lead = await h.lead(leadId);
      expect(lead.callState).toBe('call.answered');
      expect(h.voice.started.map((call) => call.attempt)).toEqual([2]);
      const dial1 = (await h.store.getEffects(leadId)).find((effect) => effect.key.endsWith(':dial:1'));
      expect(dial1).toMatchObject({ status: 'failed', result: { abandoned: true } });
    } finally {
      await restarted.stop();
    }
  });
});

/** A registry that holds one look-up (the `holdCall`-th) until released: a slow registry. */
class HeldTenants extends StaticTenants {
  calls = 0;
  holdCall = -1;
  holdPerforming = false;
  #release: () => void = () => {};
  readonly #held = new Promise<void>((resolve) => {
    this.#release = resolve;
  });
  release(): void {
    this.#release();
  }
  override async get(tenantId: string): Promise<Tenant | null> {
    this.calls++;
    // Held: the look-ups the dispatcher makes just before it performs an effect.
    if (this.holdPerforming && /#perform/.test(new Error().stack ?? '')) await this.#held;
    if (this.calls === this.holdCall) await this.#held;
    return super.get(tenantId);
  }
}

/** A registry whose next look-ups fail, as a database blip would. */
class FlakyTenants extends StaticTenants {
  failNext = 0;
  constructor(tenant: Tenant) {
    super([tenant]);
  }
  override async get(tenantId: string): Promise<Tenant | null> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('the registry is down');
    }
    return super.get(tenantId);
  }
}

function tenantsOf(harness: Harness) {
  return new StaticTenants([
    {
      id: 'default',
      config: tenantConfigSchema.parse({}),
      ports: { crm: harness.crm, voice: harness.voice, sms: harness.sms, notifier: harness.notifier },
    },
  ]);
}

function silent(): Logger {
  return silentLogger();
}
