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
  type TenantRegistry,
} from '../../src/engine/index.js';
import type { CallOutcome, StartCallRequest } from '../../src/ports/index.js';
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

/** An engine on a store of each kind, a simulated clock and recording doubles. */
export async function startEngine(
  options: {
    at?: number;
    config?: TenantConfigInput;
    store?: StoreKind;
    logger?: Logger;
    engine?: EngineOptions;
    /** Wraps the one tenant in another registry (a flaky one, a suspended one). */
    registry?: (tenant: Tenant) => TenantRegistry;
  } = {},
) {
  const clock = new SimulatedClock(options.at ?? DAYTIME);
  const store =
    (options.store ?? storeKind()) === 'sqlite' ? new SqliteLeadStore(':memory:') : new MemoryLeadStore();
  const crm = new RecordingCrm();
  const voice = new RecordingVoice();
  const sms = new RecordingSms();
  const notifier = new RecordingNotifier();
  const config = tenantConfigSchema.parse(options.config ?? {});
  const tenant: Tenant = { id: 'default', config, ports: { crm, voice, sms, notifier } };
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
