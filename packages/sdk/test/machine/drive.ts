import { initialTransition, transition } from 'xstate';
import { type TenantConfig, type TenantConfigInput, tenantConfigSchema } from '../../src/config/index.js';
import { type LeadInput, leadInputSchema } from '../../src/lead/index.js';
import {
  type AdoptedCrmLead,
  createLeadMachine,
  EFFECT_TYPES,
  type Effect,
  type EffectParams,
  type EffectType,
  isFinished,
  type LeadEvent,
  type LeadMachine,
  type LeadSnapshot,
  stateNames,
} from '../../src/machine/index.js';
import type { CallOutcome, CallReport } from '../../src/ports/index.js';

// Drives one lead through the pure machine with initialTransition/transition only, the way the
// engine does, and keeps every effect it names. Not a test file itself: vitest only runs *.test.ts.

export const MINUTE = 60_000;
export const LEAD_ID = 'L1';

/** Moscow is UTC+3 all year; 2026-11-25 is a Wednesday, inside the default 09:00–21:00 hours. */
export const moscow = (wallClock: string): number => Date.parse(`${wallClock}+03:00`);
export const NOON = moscow('2026-11-25T12:00:00');

export interface StartOptions {
  /** Merged over a callable Moscow customer with no partner code. */
  readonly lead?: Partial<LeadInput>;
  readonly config?: TenantConfigInput;
  readonly at?: number;
  /**
   * Before every event, store the snapshot as JSON and resolve it again, as the engine does between
   * two events (a restart may come between any two): the machine must decide the same from it.
   */
  readonly restoreEachStep?: boolean;
  /** Start as a lead adopted from this CRM lead (`LeadEngine.adoptCrmLead`). */
  readonly adoptedFrom?: AdoptedCrmLead;
}

export interface Step {
  readonly effects: readonly Effect[];
  /** The machine handed back the very snapshot it was given: the event changed nothing. */
  readonly unchanged: boolean;
}

export class LeadDriver {
  readonly config: TenantConfig;
  readonly machine: LeadMachine;
  snapshot: LeadSnapshot;
  /** Every effect named over the lead's whole life, in order. */
  readonly log: Effect[] = [];
  /** The effects of the initial transition. */
  readonly started: readonly Effect[];
  private readonly restoreEachStep: boolean;

  constructor(options: StartOptions = {}) {
    this.restoreEachStep = options.restoreEachStep ?? false;
    this.config = tenantConfigSchema.parse(options.config ?? {});
    this.machine = createLeadMachine(this.config);
    const lead = leadInputSchema.parse({ name: 'Анна', phone: '+7 916 123-45-67', ...options.lead });
    const [snapshot, actions] = initialTransition(this.machine, {
      leadId: LEAD_ID,
      tenantId: 'shop-1',
      lead,
      at: options.at ?? NOON,
      ...(options.adoptedFrom === undefined ? {} : { adoptedFrom: options.adoptedFrom }),
    });
    this.snapshot = snapshot;
    this.started = toEffects(actions);
    this.log.push(...this.started);
  }

  send(event: LeadEvent): Step {
    if (this.restoreEachStep) {
      const { value, context } = JSON.parse(
        JSON.stringify({ value: this.snapshot.value, context: this.snapshot.context }),
      ) as Pick<LeadSnapshot, 'value' | 'context'>;
      this.snapshot = this.machine.resolveState({ value, context });
    }
    const before = this.snapshot;
    const [snapshot, actions] = transition(this.machine, before, event);
    this.snapshot = snapshot;
    const effects = toEffects(actions);
    this.log.push(...effects);
    return { effects, unchanged: snapshot === before };
  }

  get crm(): string {
    return stateNames(this.snapshot).crmState;
  }

  get call(): string {
    return stateNames(this.snapshot).callState;
  }

  get context(): LeadSnapshot['context'] {
    return this.snapshot.context;
  }

  get finished(): boolean {
    return isFinished(this.snapshot);
  }
}

/** The machine's actions as effects; anything outside the catalogue would be a leak, so it throws. */
export function toEffects(actions: readonly { type: string; params?: unknown }[]): Effect[] {
  return actions.map((action) => {
    if (!EFFECT_TYPES.has(action.type)) throw new Error(`unexpected action ${action.type}`);
    return { type: action.type, params: action.params } as Effect;
  });
}

/** The params of the effects of one type, in order. */
export function paramsOf<T extends EffectType>(effects: readonly Effect[], type: T): EffectParams[T][] {
  return effects.filter((effect) => effect.type === type).map((effect) => effect.params as EffectParams[T]);
}

export const types = (effects: readonly Effect[]): string[] => effects.map((effect) => effect.type);

export const keys = (effects: readonly Effect[]): string[] => effects.map((effect) => effect.params.key);

export const key = (suffix: string): string => `lead:${LEAD_ID}:${suffix}`;

export function report(outcome: CallOutcome, attempt: number, extra: Partial<CallReport> = {}): CallReport {
  return { key: key(`dial:${attempt}`), outcome, durationSec: outcome === 'answered' ? 42 : 0, ...extra };
}

/** Event builders, so a scenario reads like the seed's flow chart. */
export const ev = {
  wake: (at: number): LeadEvent => ({ type: 'WAKE', at }),
  started: (at: number, attempt: number): LeadEvent => ({
    type: 'DIAL_STARTED',
    at,
    attempt,
    sessionId: `session-${attempt}`,
  }),
  result: (at: number, attempt: number, outcome: CallOutcome, extra?: Partial<CallReport>): LeadEvent => ({
    type: 'CALL_RESULT',
    at,
    attempt,
    report: report(outcome, attempt, extra),
  }),
  reconciled: (at: number, attempt: number, outcome: CallOutcome | null): LeadEvent => ({
    type: 'RECONCILED',
    at,
    attempt,
    report: outcome === null ? null : report(outcome, attempt),
  }),
  /** Call history could not be read at all (not the same as a history with no call in it). */
  historyUnavailable: (at: number, attempt: number): LeadEvent => ({
    type: 'RECONCILED',
    at,
    attempt,
    report: null,
    unavailable: true,
  }),
  cancel: (at: number, scope: 'calls' | 'all' = 'calls'): LeadEvent => ({
    type: 'CANCEL',
    at,
    by: 'seller:7',
    reason: scope === 'all' ? 'tenant_removed' : 'cancelled',
    scope,
  }),
  retryCrm: (at: number): LeadEvent => ({ type: 'RETRY_CRM', at, by: 'admin:1' }),
  callNow: (at: number): LeadEvent => ({ type: 'CALL_NOW', at, by: 'seller:7' }),
  created: (at: number, crmLeadId = '1001'): LeadEvent => ({
    type: 'CRM_CREATED',
    at,
    crmLeadId,
    crmUrl: `https://portal.example/crm/lead/details/${crmLeadId}/`,
  }),
  written: (at: number, effectKey: string): LeadEvent => ({ type: 'CRM_WRITTEN', at, effectKey }),
  crmFailed: (at: number, effectKey: string, code: 'auth' | 'permanent' = 'permanent'): LeadEvent => ({
    type: 'CRM_FAILED',
    at,
    effectKey,
    code,
    message: `${code} failure`,
  }),
};
