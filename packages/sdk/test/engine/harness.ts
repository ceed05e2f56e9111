import { Writable } from 'node:stream';
import { type TenantConfigInput, tenantConfigSchema } from '../../src/config/index.js';
import {
  createLogger,
  type EngineOptions,
  LeadEngine,
  type Logger,
  type StateChange,
  StaticTenants,
  silentLogger,
  type Tenant,
  type TenantPorts,
  type TenantRegistry,
} from '../../src/engine/index.js';
import type {
  CallOutcome,
  DeliverCallResult,
  LeadStore,
  StartCallRequest,
  VoicePort,
} from '../../src/ports/index.js';
import { SqliteLeadStore } from '../../src/stores/sqlite/index.js';
import {
  MemoryLeadStore,
  RecordingCrm,
  RecordingNotifier,
  RecordingSms,
  RecordingVoice,
  SimulatedClock,
  settle,
} from '../../src/testing/index.js';

/** Wednesday 25 November 2026, 11:00 in Moscow: inside the default working hours. */
export const DAYTIME = Date.parse('2026-11-25T08:00:00Z');
/** The same day, 23:30 in Moscow: outside them. */
export const NIGHT = Date.parse('2026-11-25T20:30:00Z');
export const MINUTE = 60_000;

export type StoreKind = 'memory' | 'sqlite';
let currentStore: StoreKind = 'memory';
/** Which store the engine tests run on; each engine test file runs once per store. */
export const storeKind = () => currentStore;
export const useStore = (kind: StoreKind) => {
  currentStore = kind;
};

/** The four ports as recording doubles; a test passes its own port (one that fails on purpose) to swap it in. */
export function recordingPorts<P extends Partial<TenantPorts> = Record<never, never>>(
  overrides: P = {} as P,
): Omit<RecordingPorts, keyof P> & P {
  return {
    crm: new RecordingCrm(),
    voice: new RecordingVoice(),
    sms: new RecordingSms(),
    notifier: new RecordingNotifier(),
    ...overrides,
  };
}

export type RecordingPorts = {
  crm: RecordingCrm;
  voice: RecordingVoice;
  sms: RecordingSms;
  notifier: RecordingNotifier;
};

/** A tenant on recording doubles, its config parsed as a registry would store it. */
export function recordingTenant<P extends TenantPorts = RecordingPorts>(
  id: string,
  config: TenantConfigInput = {},
  ports: P = recordingPorts() as unknown as P,
): Tenant & { ports: P } {
  return { id, config: tenantConfigSchema.parse(config), ports };
}

/** The rest of what createProzvon and createProzvonHost take in a test: a memory store, the daytime clock, no logs. */
export const frontDefaults = (at = DAYTIME) => ({
  store: new MemoryLeadStore(),
  clock: new SimulatedClock(at),
  logger: silentLogger(),
});

/** A voice double whose callback route delivers `{leadId, attempt}` from the body, unverified. */
export function callbackVoice(): RecordingVoice & VoicePort {
  const voice = new RecordingVoice() as RecordingVoice & VoicePort;
  voice.handleCallback = async (request: Request, deliver: DeliverCallResult) => {
    const { leadId, attempt } = (await request.json()) as { leadId: string; attempt: number };
    const outcome = await deliver(leadId, {
      type: 'CALL_RESULT',
      at: DAYTIME,
      attempt,
      report: { key: `lead:${leadId}:dial:${attempt}`, outcome: 'answered', durationSec: 5 },
    });
    return Response.json(outcome);
  };
  return voice;
}

/** An engine on a store of each kind, a simulated clock and recording doubles. */
export async function startEngine(
  options: {
    at?: number;
    /** A store the test made (a file it shares, a second engine's), or the kind to make. */
    store?: StoreKind | LeadStore;
    /** A clock the test shares between engines; else one at `at`. */
    clock?: SimulatedClock;
    config?: TenantConfigInput;
    /** Doubles to use in place of the plain recording ones. */
    ports?: Partial<RecordingPorts>;
    logger?: Logger;
    engine?: EngineOptions;
    /** Wraps the one tenant in another registry (a flaky one, a suspended one). */
    registry?: (tenant: Tenant) => TenantRegistry;
  } = {},
) {
  const clock = options.clock ?? new SimulatedClock(options.at ?? DAYTIME);
  const store = typeof options.store === 'object' ? options.store : newStore(options.store ?? storeKind());
  const ports = { ...recordingPorts(), ...options.ports };
  const { crm, voice, sms, notifier } = ports;
  const tenant = recordingTenant('default', options.config, ports);
  const tenants = options.registry?.(tenant) ?? new StaticTenants([tenant]);
  const engine = new LeadEngine(store, tenants, clock, options.logger ?? silentLogger(), {
    owner: 'test',
    ...options.engine,
  });
  const changes: StateChange[] = [];
  engine.onStateChange((change) => changes.push(change));
  await engine.start();

  /** Answers every call started from now on with these outcomes, in turn (the last repeats). */
  function answerCalls(...outcomes: CallOutcome[]) {
    let index = 0;
    voice.onStart = (request: StartCallRequest) => {
      const outcome = outcomes[Math.min(index++, outcomes.length - 1)] ?? 'answered';
      setImmediate(() => void deliverResult(request, outcome));
    };
  }

  function deliverResult(
    request: Pick<StartCallRequest, 'leadId' | 'attempt' | 'key'>,
    outcome: CallOutcome,
  ) {
    return engine.deliver('default', request.leadId, {
      type: 'CALL_RESULT',
      at: clock.now(),
      attempt: request.attempt,
      report: { key: request.key, outcome, durationSec: outcome === 'answered' ? 21 : 0 },
    });
  }

  async function lead(leadId: string) {
    await settle();
    const stored = await store.getLead(leadId);
    if (stored === null) throw new Error(`no lead ${leadId}`);
    return stored;
  }

  return {
    clock,
    store,
    crm,
    voice,
    sms,
    notifier,
    engine,
    changes,
    answerCalls,
    deliverResult,
    lead,
    settle,
  };
}

function newStore(kind: StoreKind): LeadStore {
  return kind === 'sqlite' ? new SqliteLeadStore(':memory:') : new MemoryLeadStore();
}

export const customer = { name: 'Анна', phone: '8 (916) 123-45-67' };

/** The engine's real logger (pino, JSON lines) writing into `lines`, for tests that read its logs. */
export function capturedLogs(level = 'debug') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown> & { level: number });
  return { lines, records, logger: createLogger({ level }, stream) };
}

/** pino's numeric levels. */
export const LOG_LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;

/** A customer's own mobile: many leads of one phone would meet the abuse guard's limits. */
export const phoneOf = (i: number) => `+7916${String(i).padStart(7, '0')}`;
