import { describe, expect, it } from 'vitest';
import { ev, key, LeadDriver, MINUTE, NOON, paramsOf, types } from './drive.js';

// Issue 14, point 12 (b): the customer picked up but the message never played (a dead recording
// URL, a TTS failure). Not a reached lead: the sellers call instead, and no SMS confirms a call
// the customer heard nothing of.

describe('an unheard call (answered, the message failed to play)', () => {
  it('goes to manual at once with message_failed and the provider’s words; no SMS, no retry', () => {
    const lead = new LeadDriver();
    lead.send(ev.created(NOON + 500));
    lead.send(ev.started(NOON + 1_000, 1));
    const step = lead.send(
      ev.result(NOON + 30_000, 1, 'unheard', { durationSec: 3, detail: 'Failed to download file' }),
    );
    expect(lead.call).toBe('call.manual');
    expect(lead.context.manualReason).toBe('message_failed');
    expect(types(step.effects)).toEqual(['recordCall', 'notify']);
    expect(paramsOf(step.effects, 'recordCall')[0]?.record).toMatchObject({
      key: key('call:1'),
      outcome: 'unheard',
      durationSec: 3,
    });
    expect(paramsOf(step.effects, 'notify')[0]?.notice).toMatchObject({
      kind: 'manual',
      reason: 'message_failed',
      detail: 'Failed to download file',
    });
    expect(lead.context.outcomes).toEqual([{ attempt: 1, outcome: 'unheard' }]);
    expect(lead.send(ev.wake(NOON + 60 * MINUTE)).unchanged).toBe(true);
  });

  it('the same from call history, and no callOutcome notice doubles the manual one', () => {
    const lead = new LeadDriver({ config: { notify: ['manual', 'callOutcome'] } });
    lead.send(ev.started(NOON + 1_000, 1));
    const step = lead.send({
      type: 'RECONCILED',
      at: NOON + 20 * MINUTE,
      attempt: 1,
      report: { key: key('call:1'), outcome: 'unheard', durationSec: 2 },
    });
    expect(lead.call).toBe('call.manual');
    const notices = paramsOf(step.effects, 'notify').map((n) => n.notice.kind);
    expect(notices).toEqual(['manual']);
    expect(types(step.effects)).not.toContain('sendSms');
  });
});
