import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { tenantConfigSchema } from '../../src/config/index.js';
import { pureInitialTransition, pureTransition } from '../../src/engine/pure-transition.js';
import { createLeadMachine, type LeadEvent, type LeadSnapshot } from '../../src/machine/index.js';

const machine = createLeadMachine(
  tenantConfigSchema.parse({ notify: ['newLead', 'crmFailed', 'manual', 'callOutcome'] }),
);
const NOON = Date.parse('2026-11-25T09:00:00Z');
const plain = (snapshot: LeadSnapshot) => ({ value: snapshot.value, context: snapshot.context });
const effects = (actions: readonly { type: string; params?: unknown }[]) =>
  actions.map((action) => ({ type: action.type, params: action.params }));

const event = fc.oneof(
  fc.record({ type: fc.constant('WAKE' as const), at: fc.integer({ min: NOON, max: NOON + 86_400_000 }) }),
  fc.record({
    type: fc.constant('CALL_RESULT' as const),
    at: fc.integer({ min: NOON, max: NOON + 86_400_000 }),
    attempt: fc.integer({ min: 1, max: 3 }),
    report: fc.record({
      key: fc.constant('k'),
      outcome: fc.constantFrom(
        'answered' as const,
        'machine' as const,
        'nodial' as const,
        'invalid' as const,
      ),
      durationSec: fc.nat(100),
    }),
  }),
  fc.record({
    type: fc.constant('DIAL_STARTED' as const),
    at: fc.constant(NOON),
    attempt: fc.integer({ min: 1, max: 3 }),
    sessionId: fc.constant('s'),
  }),
  fc.record({
    type: fc.constant('CRM_CREATED' as const),
    at: fc.constant(NOON),
    crmLeadId: fc.constant('7'),
  }),
  fc.record({
    type: fc.constant('PARTNER_FOUND' as const),
    at: fc.constant(NOON),
    partner: fc.constant(null),
  }),
);

describe('the engine’s transition with a kept scope', () => {
  it('decides exactly as xstate’s own transition(), snapshot and actions alike', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('89161234567', '+7 495 123-45-67', '12345'),
        fc.boolean(),
        fc.array(event, { maxLength: 12 }),
        (phone, partner, events) => {
          const input = {
            leadId: 'L1',
            tenantId: 't',
            lead: { name: 'Анна', phone, ...(partner ? { partnerCode: 'P' } : {}) },
            at: NOON,
          };
          let [ours, ourActions] = pureInitialTransition(machine, input);
          let [theirs, theirActions] = initialTransition(machine, input);
          expect(plain(ours)).toEqual(plain(theirs));
          expect(effects(ourActions)).toEqual(effects(theirActions));
          for (const next of events as LeadEvent[]) {
            [ours, ourActions] = pureTransition(machine, ours, next);
            [theirs, theirActions] = transition(machine, theirs, next);
            expect(plain(ours)).toEqual(plain(theirs));
            expect(effects(ourActions)).toEqual(effects(theirActions));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
