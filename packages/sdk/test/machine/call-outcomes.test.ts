import { describe, expect, it } from 'vitest';
import { ev, key, LeadDriver, MINUTE, moscow, NOON, paramsOf, types } from './drive.js';

const RETRY = 30 * MINUTE;

/** A daytime lead whose first dial has been accepted by the provider. */
function ringing(options: ConstructorParameters<typeof LeadDriver>[0] = {}) {
  const lead = new LeadDriver(options);
  expect(lead.call).toBe('call.dialing');
  expect(paramsOf(lead.started, 'dial')).toEqual([
    {
      key: key('dial:1'),
      attempt: 1,
      phone: '+79161234567',
      customerName: 'Анна',
      scenarioId: 'prozvon-callback',
      callerId: '+74950000000',
    },
  ]);
  const step = lead.send(ev.started(NOON + 1_000, 1));
  expect(lead.call).toBe('call.awaitingResult');
  expect(step.effects).toEqual([]);
  return lead;
}

describe('call region: what the call ended in', () => {
  it('answered → SMS confirming the order, the call queued for the card until the CRM lead exists', () => {
    const lead = ringing({ lead: { orderSum: 2490 } });
    const step = lead.send(ev.result(NOON + MINUTE, 1, 'answered', { recordingUrl: 'https://rec/1' }));
    expect(lead.call).toBe('call.answered');
    expect(step.effects).toEqual([
      {
        type: 'sendSms',
        params: {
          key: key('sms:answered'),
          kind: 'answered',
          phone: '+79161234567',
          text: 'Анна, спасибо! Ваш заказ в «Магазин» подтверждён.',
        },
      },
    ]);
    expect(lead.context.callWakeAt).toBeNull();
    expect(lead.context.crmQueue).toHaveLength(1);
    expect(lead.finished).toBe(false);

    const created = lead.send(ev.created(NOON + 2 * MINUTE, '1001'));
    expect(paramsOf(created.effects, 'recordCall')).toEqual([
      {
        key: key('call:1'),
        crmLeadId: '1001',
        record: {
          key: key('call:1'),
          attempt: 1,
          phone: '+79161234567',
          outcome: 'answered',
          startedAt: NOON + 1_000, // when the dial left (DIAL_STARTED)
          durationSec: 42,
          recordingUrl: 'https://rec/1',
        },
      },
    ]);
    expect(lead.finished).toBe(false);
    lead.send(ev.written(NOON + 3 * MINUTE, key('call:1')));
    expect(lead.finished).toBe(true);
  });

  it('answered after the CRM lead exists → the call is written at once', () => {
    const lead = ringing();
    lead.send(ev.created(NOON + 2_000, '1001'));
    const step = lead.send(ev.result(NOON + MINUTE, 1, 'answered'));
    expect(types(step.effects).sort()).toEqual(['recordCall', 'sendSms']);
  });

  it('machine → the machine SMS and no more dials, ever', () => {
    const lead = ringing();
    const step = lead.send(ev.result(NOON + MINUTE, 1, 'machine'));
    expect(lead.call).toBe('call.machine');
    expect(paramsOf(step.effects, 'sendSms')).toEqual([
      {
        key: key('sms:machine'),
        kind: 'machine',
        phone: '+79161234567',
        text: 'Анна, мы звонили из «Магазин» по вашему заказу: он принят.',
      },
    ]);
    expect(lead.context.callWakeAt).toBeNull();
    for (const at of [NOON + RETRY, NOON + 2 * RETRY, NOON + 24 * 60 * MINUTE]) {
      expect(lead.send(ev.wake(at)).unchanged).toBe(true);
    }
    expect(paramsOf(lead.log, 'dial')).toHaveLength(1);
  });

  it('invalid number → done, no SMS', () => {
    const lead = ringing();
    const step = lead.send(ev.result(NOON + MINUTE, 1, 'invalid'));
    expect(lead.call).toBe('call.invalid');
    expect(step.effects).toEqual([]);
    expect(lead.context.crmQueue.map((write) => write.record.outcome)).toEqual(['invalid']);
  });

  it('a Moscow landline is called but never texted: the SMS would be paid for and never read', () => {
    const lead = new LeadDriver({ lead: { phone: '+7 495 123-45-67' } });
    expect(lead.call).toBe('call.dialing');
    lead.send(ev.started(NOON + 1_000, 1));
    const step = lead.send(ev.result(NOON + MINUTE, 1, 'answered'));
    expect(lead.call).toBe('call.answered');
    expect(types(step.effects)).not.toContain('sendSms');
  });

  it("the shop's texts, name, scenario and caller id come from its config", () => {
    const lead = new LeadDriver({
      config: {
        shopName: 'Цветы у дома',
        sms: { machine: '{name}, это «{shop}». Ваш заказ ждёт {unknown}.' },
        voice: { scenarioId: 'flowers-v2', callerId: '+74951112233' },
      },
    });
    expect(paramsOf(lead.started, 'dial')[0]).toMatchObject({
      scenarioId: 'flowers-v2',
      callerId: '+74951112233',
    });
    const step = lead.send(ev.result(NOON + MINUTE, 1, 'machine'));
    // An unknown placeholder is left as typed rather than silently dropped.
    expect(paramsOf(step.effects, 'sendSms')[0]?.text).toBe(
      'Анна, это «Цветы у дома». Ваш заказ ждёт {unknown}.',
    );
  });

  it('an empty SMS text switches that SMS off', () => {
    const lead = ringing({ config: { sms: { answered: '  ' } } });
    expect(lead.send(ev.result(NOON + MINUTE, 1, 'answered')).effects).toEqual([]);
    expect(lead.call).toBe('call.answered');
  });

  it('callOutcome notices, when switched on, tell the sellers each outcome', () => {
    const lead = ringing({ config: { notify: ['callOutcome'] } });
    const step = lead.send(ev.result(NOON + MINUTE, 1, 'machine'));
    expect(paramsOf(step.effects, 'notify')).toEqual([
      {
        key: key('notify:call:1'),
        notice: {
          kind: 'callOutcome',
          key: key('notify:call:1'),
          leadId: 'L1',
          customerName: 'Анна',
          phone: '+79161234567',
          outcome: 'machine',
          attempt: 1,
        },
      },
    ]);
  });
});

describe('call region: nobody picked up', () => {
  it('nodial → "no answer" on the card, a retry 30 minutes later, then manual after 3 attempts', () => {
    const lead = new LeadDriver();
    lead.send(ev.created(NOON + 500, '1001'));
    let now = NOON;
    for (const attempt of [1, 2, 3]) {
      lead.send(ev.started(now + 1_000, attempt));
      const resultAt = now + 40_000;
      const step = lead.send(ev.result(resultAt, attempt, 'nodial'));
      // One card write at a time: the call entry first, "no answer" once it is written.
      expect(paramsOf(step.effects, 'recordCall').map((write) => write.key)).toEqual([
        key(`call:${attempt}`),
      ]);
      const released = lead.send(ev.written(resultAt + 1, key(`call:${attempt}`)));
      expect(released.effects).toEqual([
        {
          type: 'markNoAnswer',
          params: {
            key: key(`no-answer:${attempt}`),
            crmLeadId: '1001',
            record: expect.objectContaining({ attempt, outcome: 'nodial', key: key(`call:${attempt}`) }),
          },
        },
      ]);
      lead.send(ev.written(resultAt + 2, key(`no-answer:${attempt}`)));
      if (attempt < 3) {
        expect(lead.call).toBe('call.nodial');
        expect(types(step.effects)).not.toContain('notify');
        expect(lead.context.callWakeAt).toBe(resultAt + RETRY);
        expect(lead.send(ev.wake(resultAt + RETRY - 1)).unchanged).toBe(true);
        now = resultAt + RETRY;
        const retry = lead.send(ev.wake(now));
        expect(lead.call).toBe('call.dialing');
        expect(paramsOf(retry.effects, 'dial').map((dial) => [dial.key, dial.attempt])).toEqual([
          [key(`dial:${attempt + 1}`), attempt + 1],
        ]);
      } else {
        expect(lead.call).toBe('call.manual');
        expect(lead.context.callWakeAt).toBeNull();
        expect(paramsOf(step.effects, 'notify')).toEqual([
          {
            key: key('notify:manual:no_answer'),
            notice: {
              kind: 'manual',
              key: key('notify:manual:no_answer'),
              leadId: 'L1',
              customerName: 'Анна',
              phone: '+79161234567',
              reason: 'no_answer',
              crmLeadId: '1001',
            },
          },
        ]);
      }
    }
    expect(paramsOf(lead.log, 'dial')).toHaveLength(3);
    expect(lead.send(ev.wake(now + 10 * RETRY)).unchanged).toBe(true);
    expect(lead.finished).toBe(true);
  });

  it('maxAttempts from config: 1 means the first nodial is already manual', () => {
    const lead = ringing({ config: { maxAttempts: 1, retryIntervalMinutes: 10 } });
    lead.send(ev.result(NOON + MINUTE, 1, 'nodial'));
    expect(lead.call).toBe('call.manual');
  });

  it('a retry interval from config sets the wake', () => {
    const lead = ringing({ config: { retryIntervalMinutes: 10 } });
    lead.send(ev.result(NOON + MINUTE, 1, 'nodial'));
    expect(lead.context.callWakeAt).toBe(NOON + MINUTE + 10 * MINUTE);
  });

  it('a retry falling after closing goes to night with no second night SMS, and wakes to dial', () => {
    // Arrives Wednesday 23:30: night SMS, first dial at 09:00. On Thursday the shop closes at 09:45,
    // so the third attempt, due at 10:01, falls outside hours.
    const lead = new LeadDriver({
      at: moscow('2026-11-25T23:30:00'),
      config: { hours: { week: { thu: { from: '09:00', to: '09:45' } } } },
    });
    expect(paramsOf(lead.log, 'sendSms').map((sms) => sms.kind)).toEqual(['night']);
    const morning = moscow('2026-11-26T09:00:00');
    lead.send(ev.wake(morning));
    lead.send(ev.result(morning + 30_000, 1, 'nodial'));
    expect(lead.context.callWakeAt).toBe(morning + 30_000 + RETRY);
    // 09:30:30: still open, attempt 2.
    lead.send(ev.wake(morning + 30_000 + RETRY));
    expect(lead.context.attempt).toBe(2);
    const secondResult = morning + 31 * MINUTE;
    lead.send(ev.result(secondResult, 2, 'nodial'));
    // 10:01: closed. Back to night, silently, until Friday's 09:00.
    const step = lead.send(ev.wake(secondResult + RETRY));
    expect(lead.call).toBe('call.night');
    expect(step.effects).toEqual([]);
    const friday = moscow('2026-11-27T09:00:00');
    expect(lead.context.callWakeAt).toBe(friday);
    const dial = lead.send(ev.wake(friday));
    expect(paramsOf(dial.effects, 'dial').map((d) => d.attempt)).toEqual([3]);
    expect(paramsOf(lead.log, 'sendSms').map((sms) => sms.kind)).toEqual(['night']);
  });

  it('a daytime lead whose retry falls at night gets its one night SMS then', () => {
    const lead = new LeadDriver({ at: moscow('2026-11-25T20:50:00') });
    lead.send(ev.result(moscow('2026-11-25T20:51:00'), 1, 'nodial'));
    const step = lead.send(ev.wake(moscow('2026-11-25T21:21:00')));
    expect(lead.call).toBe('call.night');
    expect(paramsOf(step.effects, 'sendSms').map((sms) => sms.kind)).toEqual(['night']);
    expect(lead.context.callWakeAt).toBe(moscow('2026-11-26T09:00:00'));
  });
});
