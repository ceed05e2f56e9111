import { describe, expect, it } from 'vitest';
import type { PortErrorCode } from '../../src/ports/index.js';
import { ev, LeadDriver, MINUTE, NOON, paramsOf } from './drive.js';

const failed = (code: PortErrorCode) =>
  ({ type: 'DIAL_FAILED', at: NOON + 1_000, attempt: 1, code, message: `${code}: refused` }) as const;

describe('call region: the provider failed to start the call', () => {
  it.each<PortErrorCode>(['transient', 'rate_limited'])(
    '%s: it may have reached the provider, so wait for the result or the timeout',
    (code) => {
      const lead = new LeadDriver();
      const step = lead.send(failed(code));
      expect(lead.call).toBe('call.awaitingResult');
      expect(step.effects).toEqual([]);
      // The callback timeout counts from the failure: the history is asked then.
      expect(lead.context.callWakeAt).toBe(NOON + 1_000 + 5 * MINUTE);
      lead.send(ev.wake(NOON + 1_000 + 5 * MINUTE));
      expect(lead.context.reconciling).toBe(true);
    },
  );

  it.each<PortErrorCode>(['auth', 'permanent'])('%s: the provider said no → manual, sellers told', (code) => {
    const lead = new LeadDriver();
    const step = lead.send(failed(code));
    expect(lead.call).toBe('call.manual');
    expect(lead.context.manualReason).toBe('dial_refused');
    expect(lead.context.callWakeAt).toBeNull();
    expect(paramsOf(step.effects, 'notify').map((n) => n.notice)).toMatchObject([
      { kind: 'manual', reason: 'dial_refused' },
    ]);
    // The attempt is still recorded on the card once the CRM lead exists.
    const created = lead.send(ev.created(NOON + 2_000));
    expect(paramsOf(created.effects, 'recordCall').map((w) => w.record.outcome)).toEqual(['unknown']);
    expect(lead.send(ev.wake(NOON + 60 * MINUTE)).unchanged).toBe(true);
  });

  it('a DIAL_FAILED after DIAL_STARTED changes nothing: the call is already up', () => {
    const lead = new LeadDriver();
    lead.send(ev.started(NOON + 500, 1));
    expect(lead.send(failed('permanent')).unchanged).toBe(true);
  });
});
