import { describe, expect, it } from 'vitest';
import type { LeadStore } from '../../../src/ports/lead-store.js';
import { auditEntry, newEffect, newLead, T0 } from '../lead-store-fixtures.js';

export function finishEffectContract(store: () => LeadStore): void {
  describe('finishEffect', () => {
    it('finishes the effect and files the audit, leaving the lead, its version and its lease alone', async () => {
      await store().insertLead(newLead('l1', { wakeAt: T0 }), [newEffect('l1', 'notify')], []);
      await store().claimDueLeads(T0, 10, 'worker-a', 30_000);
      const [effect] = await store().claimEffects(T0, 10, 'worker-a', 30_000);
      if (!effect) throw new Error('effect not claimed');
      const before = await store().getLead('l1');

      await store().finishEffect(
        'l1',
        { effectId: effect.id, status: 'done', result: { sent: true }, at: T0 + 3 },
        [auditEntry('l1', { done: 'notify' }, { type: 'effect', key: effect.key, at: T0 + 3 })],
      );

      expect(await store().getLead('l1')).toEqual(before);
      expect((await store().getEffects('l1'))[0]).toMatchObject({
        status: 'done',
        result: { sent: true },
        finishedAt: T0 + 3,
        leaseOwner: null,
        leaseUntil: null,
      });
      expect((await store().getAudit('l1')).map((a) => [a.type, a.key, a.detail])).toEqual([
        ['effect', effect.key, { done: 'notify' }],
      ]);
      // Finished, it is never claimed again.
      expect(await store().claimEffects(T0 + 60_000, 10, 'worker-b', 30_000)).toEqual([]);
    });

    it('keeps the first outcome, and leaves an effect of another lead alone', async () => {
      await store().insertLead(newLead('l1'), [newEffect('l1', 'sendSms', { paid: true })], []);
      await store().insertLead(newLead('l2'), [], []);
      const [effect] = await store().claimEffects(T0, 10, 'worker-a', 30_000);
      if (!effect) throw new Error('effect not claimed');

      await store().finishEffect(
        'l2',
        { effectId: effect.id, status: 'failed', result: 'wrong lead', at: T0 + 1 },
        [],
      );
      expect((await store().getEffects('l1'))[0]?.status).toBe('started');

      await store().finishEffect(
        'l1',
        { effectId: effect.id, status: 'done', result: 'first', at: T0 + 2 },
        [],
      );
      await store().finishEffect(
        'l1',
        { effectId: effect.id, status: 'failed', result: 'second', at: T0 + 3 },
        [],
      );
      expect((await store().getEffects('l1'))[0]).toMatchObject({
        status: 'done',
        result: 'first',
        finishedAt: T0 + 2,
      });
    });

    it('refuses a time that is not a whole millisecond, writing nothing', async () => {
      await store().insertLead(newLead('l1'), [newEffect('l1', 'notify')], []);
      const [effect] = await store().claimEffects(T0, 10, 'worker-a', 30_000);
      if (!effect) throw new Error('effect not claimed');
      await expect(
        store().finishEffect('l1', { effectId: effect.id, status: 'done', result: null, at: T0 + 0.5 }, [
          auditEntry('l1', 'x'),
        ]),
      ).rejects.toThrow();
      expect((await store().getEffects('l1'))[0]?.status).toBe('started');
      expect(await store().getAudit('l1')).toEqual([]);
    });
  });
}
