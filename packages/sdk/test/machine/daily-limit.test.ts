import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { tenantConfigSchema } from '../../src/config/index.js';
import { leadInputSchema } from '../../src/lead/index.js';
import { createLeadMachine, stateNames } from '../../src/machine/index.js';
import { ev, moscow, NOON, paramsOf, toEffects, types } from './drive.js';

function barred(at = NOON, config = {}) {
  const machine = createLeadMachine(tenantConfigSchema.parse(config));
  const lead = leadInputSchema.parse({ name: 'Анна', phone: '+7 916 123-45-67' });
  const [snapshot, actions] = initialTransition(machine, {
    leadId: 'L1',
    tenantId: 'shop-1',
    lead,
    at,
    callsAllowed: false,
  });
  return { machine, snapshot, effects: toEffects(actions) };
}

describe('call region: past the daily ceiling', () => {
  it('goes to manual with reason daily_limit: no dial, no SMS, the CRM lead still made', () => {
    const { snapshot, effects } = barred();
    expect(stateNames(snapshot)).toEqual({ crmState: 'crm.creating', callState: 'call.manual' });
    expect(snapshot.context.manualReason).toBe('daily_limit');
    expect(types(effects).sort()).toEqual(['createCrmLead', 'notify']);
  });

  it("tells the sellers once a day: the notice's key is the shop's and the shop's day's", () => {
    const [notice] = paramsOf(barred().effects, 'notify');
    expect(notice?.key).toBe('tenant:shop-1:notify:daily-limit:2026-11-25');
    expect(notice?.notice).toMatchObject({ kind: 'manual', reason: 'daily_limit', leadId: 'L1' });
    // 00:30 in Moscow is the next shop day though still the 25th in UTC.
    const [late] = paramsOf(barred(moscow('2026-11-26T00:30:00')).effects, 'notify');
    expect(late?.key).toBe('tenant:shop-1:notify:daily-limit:2026-11-26');
  });

  it('at night too: no night SMS', () => {
    const { snapshot, effects } = barred(moscow('2026-11-25T23:30:00'));
    expect(stateNames(snapshot).callState).toBe('call.manual');
    expect(types(effects)).not.toContain('sendSms');
  });

  it('a barred lead is never woken into a call', () => {
    const { machine, snapshot } = barred();
    const [next, actions] = transition(machine, snapshot, ev.wake(NOON + 24 * 60 * 60_000));
    expect(stateNames(next).callState).toBe('call.manual');
    expect(types(toEffects(actions))).not.toContain('dial');
  });

  it('with manual notices switched off, no notice', () => {
    expect(paramsOf(barred(NOON, { notify: ['newLead'] }).effects, 'notify')).toEqual([]);
  });
});
