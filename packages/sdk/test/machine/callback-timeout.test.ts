import { describe, expect, it } from 'vitest';
import type { CallOutcome } from '../../src/ports/index.js';
import { ev, key, LeadDriver, MINUTE, NOON, paramsOf, types } from './drive.js';

/** The callback timeout counts from DIAL_STARTED (the dial left at NOON + 1 s), not the decision. */
const TIMEOUT = NOON + 1_000 + 5 * MINUTE;

/** A daytime lead whose first call was started and never reported back. */
function silent() {
  const lead = new LeadDriver();
  lead.send(ev.started(NOON + 1_000, 1));
  expect(lead.context.callWakeAt).toBe(TIMEOUT);
  return lead;
}

/** …and whose callback timeout has passed: the provider's call history is being asked. */
function reconciling() {
  const lead = silent();
  const step = lead.send(ev.wake(TIMEOUT));
  expect(lead.call).toBe('call.awaitingResult');
  expect(step.effects).toEqual([
    { type: 'reconcileCall', params: { key: key('reconcile:1'), attempt: 1, dialKey: key('dial:1') } },
  ]);
  expect(lead.context.reconciling).toBe(true);
  // Nothing to wake for while the history is asked: its answer is the next event.
  expect(lead.context.callWakeAt).toBeNull();
  return lead;
}

describe('call region: the callback never came', () => {
  it('a WAKE before the timeout changes nothing', () => {
    const lead = silent();
    expect(lead.send(ev.wake(TIMEOUT - 1)).unchanged).toBe(true);
  });

  it('a dial still queued is never timed out: no wake-up until it has left (defect 1)', () => {
    const lead = new LeadDriver();
    expect(lead.call).toBe('call.dialing');
    expect(lead.context.callWakeAt).toBeNull();
    expect(lead.send(ev.wake(NOON + 3 * 60 * MINUTE)).unchanged).toBe(true);
    // Sent two hours late (a pacing backlog, an engine down): the timeout counts from then.
    lead.send(ev.started(NOON + 2 * 60 * MINUTE, 1));
    expect(lead.context.callWakeAt).toBe(NOON + 2 * 60 * MINUTE + 5 * MINUTE);
  });

  it('a dial that failed ambiguously waits its timeout from the failure', () => {
    const lead = new LeadDriver();
    lead.send({ type: 'DIAL_FAILED', at: NOON + 9_000, attempt: 1, code: 'transient', message: 'timeout' });
    expect(lead.call).toBe('call.awaitingResult');
    expect(lead.context.callWakeAt).toBe(NOON + 9_000 + 5 * MINUTE);
  });

  it('asks the history once: a second WAKE changes nothing', () => {
    const lead = reconciling();
    expect(lead.send(ev.wake(TIMEOUT + 10 * MINUTE)).unchanged).toBe(true);
  });

  it.each<{ outcome: CallOutcome; state: string; effects: string[] }>([
    { outcome: 'answered', state: 'call.answered', effects: ['sendSms'] },
    // The sellers are told of a machine by default (defect 10): the customer did not hear us.
    { outcome: 'machine', state: 'call.machine', effects: ['notify', 'sendSms'] },
    { outcome: 'nodial', state: 'call.nodial', effects: [] },
    { outcome: 'invalid', state: 'call.invalid', effects: [] },
  ])('the history says $outcome → $state', ({ outcome, state, effects }) => {
    const lead = reconciling();
    const step = lead.send(ev.reconciled(TIMEOUT + 2_000, 1, outcome));
    expect(lead.call).toBe(state);
    expect(types(step.effects)).toEqual(effects);
    expect(lead.context.reconciling).toBe(false);
    expect(lead.context.outcomes).toEqual([{ attempt: 1, outcome }]);
  });

  it('the history has no call under the key: nothing rang, so the next attempt dials (defect 16)', () => {
    const lead = reconciling();
    lead.send(ev.created(TIMEOUT + 1_000, '1001'));
    const step = lead.send(ev.reconciled(TIMEOUT + 2_000, 1, null));
    expect(lead.call).toBe('call.dialing');
    expect(lead.context.attempt).toBe(2);
    expect(types(step.effects)).toEqual(['dial']);
    expect(paramsOf(step.effects, 'dial')[0]).toMatchObject({ key: key('dial:2'), attempt: 2 });
    // Nothing rang: nothing for the card.
    expect(paramsOf(lead.log, 'recordCall')).toEqual([]);
  });

  it('no call in history on the last attempt → manual, sellers told', () => {
    const lead = new LeadDriver({ config: { maxAttempts: 1 } });
    lead.send(ev.started(NOON + 1_000, 1));
    lead.send(ev.wake(TIMEOUT));
    lead.send(ev.reconciled(TIMEOUT + 2_000, 1, null));
    expect(lead.call).toBe('call.manual');
    expect(lead.context.manualReason).toBe('no_call_result');
  });

  it('history unreadable → manual, sellers told, an "unknown" call on the card', () => {
    const lead = reconciling();
    lead.send(ev.created(TIMEOUT + 1_000, '1001'));
    const step = lead.send(ev.historyUnavailable(TIMEOUT + 2_000, 1));
    expect(lead.call).toBe('call.manual');
    expect(lead.context.manualReason).toBe('no_call_result');
    expect(types(step.effects).sort()).toEqual(['notify', 'recordCall']);
    expect(paramsOf(step.effects, 'notify')[0]?.notice).toMatchObject({
      kind: 'manual',
      reason: 'no_call_result',
    });
    expect(paramsOf(step.effects, 'recordCall')[0]?.record).toMatchObject({ attempt: 1, outcome: 'unknown' });
  });

  it('an empty history before the timeout is not an answer: nothing changes', () => {
    const lead = silent();
    expect(lead.send(ev.reconciled(NOON + 2 * MINUTE, 1, null)).unchanged).toBe(true);
  });

  it('a CALL_RESULT arriving while the history is asked is taken; the history answer after it is not', () => {
    const lead = reconciling();
    lead.send(ev.result(TIMEOUT + 1_000, 1, 'answered'));
    expect(lead.call).toBe('call.answered');
    expect(lead.context.reconciling).toBe(false);
    expect(lead.send(ev.reconciled(TIMEOUT + 2_000, 1, 'answered')).unchanged).toBe(true);
    expect(lead.send(ev.reconciled(TIMEOUT + 2_000, 1, null)).unchanged).toBe(true);
    expect(paramsOf(lead.log, 'sendSms')).toHaveLength(1);
  });
});

describe('call region: stale and repeated events change nothing', () => {
  it('a late CALL_RESULT after manual', () => {
    const lead = reconciling();
    lead.send(ev.historyUnavailable(TIMEOUT + 2_000, 1));
    expect(lead.call).toBe('call.manual');
    expect(lead.send(ev.result(TIMEOUT + 60 * MINUTE, 1, 'answered')).unchanged).toBe(true);
  });

  it.each<CallOutcome>(['answered', 'machine', 'nodial', 'invalid'])(
    'a duplicate %s CALL_RESULT',
    (outcome) => {
      const lead = new LeadDriver();
      lead.send(ev.started(NOON + 1_000, 1));
      lead.send(ev.result(NOON + MINUTE, 1, outcome));
      expect(lead.send(ev.result(NOON + MINUTE + 5, 1, outcome)).unchanged).toBe(true);
      expect(lead.send(ev.result(NOON + MINUTE + 9, 1, 'answered')).unchanged).toBe(true);
    },
  );

  it('a result or a DIAL_STARTED for an old attempt, while the next one rings', () => {
    const lead = new LeadDriver();
    lead.send(ev.result(NOON + MINUTE, 1, 'nodial'));
    lead.send(ev.wake(NOON + 31 * MINUTE));
    expect(lead.context.attempt).toBe(2);
    const at = NOON + 32 * MINUTE;
    for (const event of [
      ev.started(at, 1),
      ev.result(at, 1, 'answered'),
      ev.reconciled(at, 1, 'answered'),
      ev.reconciled(at, 1, null),
      { type: 'DIAL_FAILED', at, attempt: 1, code: 'permanent', message: 'old' } as const,
    ]) {
      expect(lead.send(event).unchanged, event.type).toBe(true);
    }
    lead.send(ev.started(at, 2));
    expect(lead.call).toBe('call.awaitingResult');
    // A result for an attempt that has not been made yet is as stale as an old one.
    expect(lead.send(ev.result(at, 3, 'answered')).unchanged).toBe(true);
  });

  it('a repeated DIAL_STARTED', () => {
    const lead = new LeadDriver();
    lead.send(ev.started(NOON + 1_000, 1));
    expect(lead.send(ev.started(NOON + 2_000, 1)).unchanged).toBe(true);
  });
});
