import { afterEach, describe, expect, it } from 'vitest';
import {
  type LeadEngine,
  type LeadStore,
  PAID_EFFECTS,
  type SmsMessage,
  type SmsReceipt,
  type StartCallRequest,
  TransientError,
} from '../../src/index.js';
import { SqliteLeadStore } from '../../src/stores/sqlite/index.js';
import {
  MemoryLeadStore,
  RecordingSms,
  RecordingVoice,
  SimulatedClock,
  settle,
} from '../../src/testing/index.js';
import { customer, DAYTIME, MINUTE, NIGHT, type RecordingPorts, startEngine } from '../engine/harness.js';

// The at-most-once rule (DESIGN.md, "decide, persist, do"): a dial or an SMS costs money and
// rings or texts a person, so once its request may have left it is never sent again — not after
// an ambiguous failure, not after the time passes and the scheduler runs again, not after a
// crash. Built on the engine's public API only.

// The harness's NIGHT is outside the working hours: a lead submitted then gets the night SMS.

/** Records the call, then fails as a timeout does: the request may well have been placed. */
class VoiceThatTimesOut extends RecordingVoice {
  override async startCall(request: StartCallRequest): Promise<{ sessionId: string }> {
    await super.startCall(request);
    throw new TransientError('timeout after the request was sent');
  }
}

/** Records the message, then fails as a dropped connection does after the request went out. */
class SmsThatTimesOut extends RecordingSms {
  override async send(message: SmsMessage): Promise<SmsReceipt> {
    await super.send(message);
    throw new TransientError('ECONNRESET after the request was sent');
  }
}

/** Accepts the call and never answers: the process is killed while the request is in flight. */
class VoiceThatHangs extends RecordingVoice {
  override async startCall(request: StartCallRequest): Promise<{ sessionId: string }> {
    this.started.push(request);
    return new Promise(() => {});
  }
}

const stores: LeadStore[] = [];
const engines: LeadEngine[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.stop();
  for (const store of stores.splice(0)) await store.close();
});

function newStore(kind: 'memory' | 'sqlite'): LeadStore {
  const store = kind === 'sqlite' ? new SqliteLeadStore(':memory:') : new MemoryLeadStore();
  stores.push(store);
  return store;
}

/** The harness's engine on a store and a clock the test shares, with the doubles it names. */
async function startOn(
  store: LeadStore,
  clock: SimulatedClock,
  ports: Partial<Pick<RecordingPorts, 'voice' | 'sms'>>,
  owner: string,
) {
  // stopTimeoutMs 0: stop() does not wait for a request that never answers (a killed process).
  const started = await startEngine({ store, clock, ports, engine: { owner, stopTimeoutMs: 0 } });
  engines.push(started.engine);
  return started;
}

/** How many requests each key received. */
function requestsByKey(requests: readonly { key: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { key } of requests) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

/** Lets the scheduler run again and again: every back-off, lease and timeout on the way falls due. */
async function letTimePass(clock: SimulatedClock, totalMs: number, stepMs = MINUTE) {
  for (let passed = 0; passed < totalMs; passed += stepMs) await clock.advance(stepMs);
  await settle();
}

describe('PAID_EFFECTS', () => {
  it('is exactly the effects that cost money and reach a person: dial and sendSms', () => {
    expect([...PAID_EFFECTS].sort()).toEqual(['dial', 'sendSms']);
  });
});

describe.each(['memory', 'sqlite'] as const)('at most once, on the %s store', (kind) => {
  it('a dial whose request failed ambiguously (TransientError) is never requested a second time', async () => {
    const clock = new SimulatedClock(DAYTIME);
    const { engine, voice } = await startOn(newStore(kind), clock, { voice: new VoiceThatTimesOut() }, 'a');
    const { leadId } = await engine.submitLead(customer);
    await settle();
    const firstKey = `lead:${leadId}:dial:1`;
    expect(voice.started.map((call) => call.key)).toEqual([firstKey]);

    // Every back-off a retry could wait for (1 s … 5 min) and the callback timeout go by.
    await letTimePass(clock, 3 * 60 * MINUTE);
    const counts = requestsByKey(voice.started);
    expect(counts[firstKey]).toBe(1);
    expect(Object.values(counts).every((count) => count === 1)).toBe(true);
  });

  it('an SMS whose request failed ambiguously (TransientError) is never sent a second time', async () => {
    const clock = new SimulatedClock(NIGHT);
    const { engine, sms } = await startOn(newStore(kind), clock, { sms: new SmsThatTimesOut() }, 'a');
    const { leadId } = await engine.submitLead(customer);
    await settle();
    const nightKey = `lead:${leadId}:sms:night`;
    expect(sms.sent.map((message) => message.key)).toEqual([nightKey]);

    // Through the night, past every back-off: the scheduler wakes many times on the way.
    await letTimePass(clock, 2 * 60 * MINUTE);
    const counts = requestsByKey(sms.sent);
    expect(counts[nightKey]).toBe(1);
    expect(Object.values(counts).every((count) => count === 1)).toBe(true);
  });

  it('a dial left started by an instance that died is never sent again by the next one, lease run out or not', async () => {
    const store = newStore(kind);
    const clock = new SimulatedClock(DAYTIME);
    const first = await startOn(store, clock, { voice: new VoiceThatHangs() }, 'dead');
    const { leadId } = await first.engine.submitLead(customer);
    await settle();
    const key = `lead:${leadId}:dial:1`;
    expect(first.voice.started.map((call) => call.key)).toEqual([key]);
    // The instance dies with the request in flight: its row stays `started`, leased to it.
    await first.engine.stop();

    const next = await startOn(store, clock, {}, 'next');
    // Past the lease (30 s) and short of the callback timeout (5 min): an idempotent effect whose
    // worker died would be claimed again now; a paid one never is.
    await letTimePass(clock, 4 * MINUTE, 10_000);
    expect(next.voice.started.map((call) => call.key)).not.toContain(key);
    // And past the timeout: the call history is asked instead, the dial is still never repeated.
    await letTimePass(clock, 60 * MINUTE);
    expect(next.voice.started.map((call) => call.key)).not.toContain(key);
    const effects = await store.getEffects(leadId);
    expect(effects.find((effect) => effect.key === key)).toMatchObject({ kind: 'dial', paid: true });
  });
});
