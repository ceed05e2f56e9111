import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canCallAt } from '../../src/hours/index.js';
import type { LeadEvent } from '../../src/machine/index.js';
import type { CallOutcome, PortErrorCode } from '../../src/ports/index.js';
import { ev, key, keys, LeadDriver, MINUTE, moscow, paramsOf } from './drive.js';

const FINAL_CALL_STATES = new Set(['call.answered', 'call.machine', 'call.invalid', 'call.manual']);
const outcomeArb = fc.oneof(
  // No answer is the outcome that drives retries, nights and the card queue: weigh it up.
  { arbitrary: fc.constant<CallOutcome>('nodial'), weight: 4 },
  { arbitrary: fc.constantFrom<CallOutcome>('answered', 'machine', 'invalid'), weight: 1 },
);

/**
 * One thing that happens to a lead, some time after the previous one. Attempts are given relative
 * to the lead's current one (-1 is stale, +1 not made yet), so that most results are on target and
 * the sequences reach retries, timeouts and the card queue rather than bouncing off stale guards.
 */
const stepArb = fc.record({
  delay: fc.oneof(fc.integer({ min: 0, max: 10 * MINUTE }), fc.integer({ min: 0, max: 12 * 60 * MINUTE })),
  attemptOffset: fc.constantFrom(0, 0, 0, -1, 1),
  what: fc.oneof(
    { arbitrary: fc.constant({ type: 'WAKE_DUE' } as const), weight: 5 },
    { arbitrary: fc.constant({ type: 'WAKE' } as const), weight: 1 },
    { arbitrary: fc.constant({ type: 'DIAL_STARTED' } as const), weight: 2 },
    { arbitrary: fc.record({ type: fc.constant('CALL_RESULT' as const), outcome: outcomeArb }), weight: 4 },
    {
      arbitrary: fc.record({ type: fc.constant('RECONCILED' as const), outcome: fc.option(outcomeArb) }),
      weight: 1,
    },
    {
      arbitrary: fc.record({
        type: fc.constant('DIAL_FAILED' as const),
        code: fc.constantFrom<PortErrorCode>('auth', 'permanent', 'transient', 'rate_limited'),
      }),
      weight: 1,
    },
    { arbitrary: fc.record({ type: fc.constant('PARTNER_FOUND' as const), found: fc.boolean() }), weight: 1 },
    { arbitrary: fc.constant({ type: 'CRM_CREATED' } as const), weight: 1 },
    { arbitrary: fc.record({ type: fc.constant('CRM_WRITTEN' as const), current: fc.boolean() }), weight: 3 },
    {
      arbitrary: fc.record({
        type: fc.constant('CRM_FAILED' as const),
        target: fc.constantFrom('partner', 'crm-create', 'writing', 'call:1'),
        code: fc.constantFrom('auth' as const, 'permanent' as const),
      }),
      weight: 1,
    },
  ),
});

type StepSpec = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

/** The event a step stands for, given where the lead is now. */
function toEvent(lead: LeadDriver, at: number, { attemptOffset, what }: StepSpec): LeadEvent {
  const attempt = lead.context.attempt + attemptOffset;
  switch (what.type) {
    case 'WAKE_DUE':
      // What the scheduler does: wake the lead exactly when it asked to be woken.
      return ev.wake(Math.max(at, lead.context.callWakeAt ?? at));
    case 'WAKE':
      return ev.wake(at);
    case 'DIAL_STARTED':
      return ev.started(at, attempt);
    case 'CALL_RESULT':
      return ev.result(at, attempt, what.outcome);
    case 'RECONCILED':
      return ev.reconciled(at, attempt, what.outcome);
    case 'DIAL_FAILED':
      return { type: 'DIAL_FAILED', at, attempt, code: what.code, message: what.code };
    case 'PARTNER_FOUND':
      return {
        type: 'PARTNER_FOUND',
        at,
        partner: what.found ? { id: '7', name: 'Иван', entity: 'company' } : null,
      };
    case 'CRM_CREATED':
      return ev.created(at);
    case 'CRM_WRITTEN':
      return ev.written(at, what.current ? (lead.context.crmWriting ?? key('call:1')) : key('no-answer:1'));
    case 'CRM_FAILED':
      return ev.crmFailed(
        at,
        what.target === 'writing' ? (lead.context.crmWriting ?? key('call:1')) : key(what.target),
        what.code,
      );
  }
}

const startArb = fc.record({
  // Any minute of one week, so that arrivals and retries fall by day and by night.
  at: fc
    .integer({ min: 0, max: 7 * 24 * 60 })
    .map((minutes) => moscow('2026-11-23T00:00:00') + minutes * MINUTE),
  timezone: fc.constantFrom(undefined, 'Europe/Moscow', 'Asia/Vladivostok', 'Europe/Kaliningrad'),
  partnerCode: fc.constantFrom(undefined, 'ivan'),
  // Some leads are adopted from a lead already in the CRM: the same properties hold for them.
  adopted: fc.boolean(),
  maxAttempts: fc.integer({ min: 1, max: 5 }),
  retryIntervalMinutes: fc.constantFrom(1, 30, 120, 600),
});

describe('lead machine: properties over random event sequences', () => {
  it('never dials twice under one key, past maxAttempts, at night or from a final state; one night SMS; never hangs; same after a restore', () => {
    fc.assert(
      fc.property(
        startArb,
        fc.array(stepArb, { minLength: 5, maxLength: 60, size: 'max' }),
        (start, steps) => {
          const options = {
            at: start.at,
            lead: { timezone: start.timezone, partnerCode: start.partnerCode },
            config: { maxAttempts: start.maxAttempts, retryIntervalMinutes: start.retryIntervalMinutes },
            ...(start.adopted ? { adoptedFrom: { crmLeadId: '4242' } } : {}),
          };
          const lead = new LeadDriver(options);
          // The same lead, stored as JSON and resolved again before every event, as after a restart.
          const restored = new LeadDriver({ ...options, restoreEachStep: true });
          const hours = lead.config.hours;
          let now = start.at;
          let wasFinished = lead.finished;
          for (const spec of steps) {
            now += spec.delay;
            const event = toEvent(lead, now, spec);
            now = Math.max(now, event.at);
            const before = lead.call;
            const step = lead.send(event);
            expect(restored.send(event)).toEqual(step);
            expect(restored.context).toEqual(lead.context);
            expect([restored.crm, restored.call]).toEqual([lead.crm, lead.call]);
            const dials = paramsOf(step.effects, 'dial');
            if (dials.length > 0) {
              expect(FINAL_CALL_STATES.has(before), `dial from ${before}`).toBe(false);
              expect(dials).toHaveLength(1);
              expect(lead.call).toBe('call.dialing');
              expect(canCallAt(new Date(event.at), hours, start.timezone), 'dial outside hours').toBe(true);
            }
            if (step.unchanged) expect(step.effects).toEqual([]);
            // A finished lead stays finished and quiet: nothing late may reopen it or cost money.
            if (wasFinished) expect([lead.finished, step.effects]).toEqual([true, []]);
            // Transient states are never where a lead rests (they are never stored or shown).
            expect(lead.call).not.toBe('call.callable');
            if (lead.call === 'call.nodial') expect(lead.context.attempt).toBeLessThan(start.maxAttempts);
            wasFinished = lead.finished;
            if (FINAL_CALL_STATES.has(lead.call)) expect(lead.context.callWakeAt).toBeNull();
            // Entering night sets the wake in the future; later events may reach it while it waits.
            const enteredNight = before !== 'call.night' || (event.type === 'WAKE' && !step.unchanged);
            if (lead.call === 'call.night' && enteredNight) {
              expect(lead.context.callWakeAt).toBeGreaterThan(event.at);
            }
            // A waiting call always has something to end its wait: a wake-up time, the call
            // history being asked, or a dial still to be performed (the engine performs it, or
            // closes it as abandoned): each answer is the next event. Otherwise the lead would hang.
            if (!FINAL_CALL_STATES.has(lead.call) && lead.call !== 'call.dialing') {
              expect(lead.context.callWakeAt !== null || lead.context.reconciling, lead.call).toBe(true);
            }
          }
          const dialKeys = paramsOf(lead.log, 'dial').map((dial) => dial.key);
          expect(new Set(dialKeys).size).toBe(dialKeys.length);
          expect(dialKeys.length).toBeLessThanOrEqual(start.maxAttempts);
          expect(
            paramsOf(lead.log, 'sendSms').filter((sms) => sms.kind === 'night').length,
          ).toBeLessThanOrEqual(1);
          // An adopted lead's CRM lead exists: it is never looked up or made, nor moved off.
          if (start.adopted) {
            expect(paramsOf(lead.log, 'createCrmLead')).toEqual([]);
            expect(paramsOf(lead.log, 'lookupPartner')).toEqual([]);
            expect([lead.crm, lead.context.crmLeadId]).toEqual(['crm.created', '4242']);
          }
          const all = keys(lead.log);
          expect(new Set(all).size).toBe(all.length);
        },
      ),
      // Each entry into night searches 14 days of calendar (about 18 ms here), hence the budget.
      { numRuns: 100 },
    );
  }, 120_000);
});
