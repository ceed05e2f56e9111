import { describe, expect, it } from 'vitest';
import { ev, key, LeadDriver, MINUTE, NOON, paramsOf } from './drive.js';

/** A daytime lead whose first call an answering machine took. */
function reachedMachine(options: ConstructorParameters<typeof LeadDriver>[0] = {}) {
  const lead = new LeadDriver(options);
  lead.send(ev.started(NOON + 1_000, 1));
  const step = lead.send(ev.result(NOON + MINUTE, 1, 'machine'));
  expect(lead.call).toBe('call.machine');
  return step;
}

describe('defect 10: the machine outcome promises nothing the product does not do', () => {
  it('the default machine SMS promises neither a call back nor a read reply', () => {
    const [sms] = paramsOf(reachedMachine().effects, 'sendSms');
    expect(sms?.text).toBe('Анна, мы звонили из «Магазин» по вашему заказу: он принят.');
    expect(sms?.text).not.toMatch(/перезвоним|ответьте/i);
  });

  it('with a shop phone, the machine SMS gives it so the customer can call back', () => {
    const [sms] = paramsOf(reachedMachine({ config: { shopPhone: '+7 495 123-45-67' } }).effects, 'sendSms');
    expect(sms?.text).toBe(
      'Анна, мы звонили из «Магазин» по вашему заказу: он принят. Если есть вопросы, позвоните нам: +7 495 123-45-67.',
    );
  });

  it('the sellers are told by default: the customer did not hear us', () => {
    const notices = paramsOf(reachedMachine().effects, 'notify');
    expect(notices).toEqual([
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

  it('a shop that switches machine notices off gets none', () => {
    expect(paramsOf(reachedMachine({ config: { notify: ['newLead'] } }).effects, 'notify')).toEqual([]);
  });

  it('other outcomes still notify only when callOutcome is switched on', () => {
    const lead = new LeadDriver();
    lead.send(ev.started(NOON + 1_000, 1));
    expect(paramsOf(lead.send(ev.result(NOON + MINUTE, 1, 'answered')).effects, 'notify')).toEqual([]);
  });
});
