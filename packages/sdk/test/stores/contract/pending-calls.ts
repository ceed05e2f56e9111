import { describe, expect, it } from 'vitest';
import type { LeadStore } from '../../../src/ports/lead-store.js';
import { PENDING_CALL_TTL_MS, type PendingCall } from '../../../src/ports/pending-calls.js';
import { newLead, T0 } from '../lead-store-fixtures.js';

function pendingCall(callId: string, overrides: Partial<PendingCall> = {}): PendingCall {
  return {
    callId,
    key: `lead:${callId}:dial:1`,
    leadId: callId,
    attempt: 1,
    phone: '79160000001',
    callerId: '74950000000',
    customerName: 'Анна-Мария О’Нил',
    scenarioId: 'prozvon-callback',
    createdAt: T0,
    ...overrides,
  };
}

export function pendingCallsContract(store: () => LeadStore): void {
  describe('pending calls', () => {
    it('gives back a saved call as it was saved, and null for a call id never saved', async () => {
      const call = pendingCall('c1');
      await store().savePendingCall(call);
      expect(await store().getPendingCall('c1')).toEqual(call);
      expect(await store().getPendingCall('c1')).not.toHaveProperty('sessionId');
      expect(await store().getPendingCall('c2')).toBeNull();
    });

    it('needs no lead: a call is its own row, whether or not its lead is in this store', async () => {
      await store().insertLead(newLead('l1'), [], []);
      await store().savePendingCall(pendingCall('c1', { leadId: 'l1' }));
      await store().savePendingCall(pendingCall('c2', { leadId: 'not-here' }));
      expect((await store().getPendingCall('c1'))?.leadId).toBe('l1');
      expect((await store().getPendingCall('c2'))?.leadId).toBe('not-here');
      expect(await store().getLead('not-here')).toBeNull();
    });

    it('replaces the call saved under the same id (a dial started again after a crash)', async () => {
      await store().savePendingCall(pendingCall('c1', { sessionId: '11' }));
      const again = pendingCall('c1', { attempt: 2, createdAt: T0 + 5 });
      await store().savePendingCall(again);
      expect(await store().getPendingCall('c1')).toEqual(again);
    });

    it('records the session id of a stored call, and ignores one for a call it does not know', async () => {
      await store().savePendingCall(pendingCall('c1'));
      await store().setPendingCallSession('c1', '4242');
      await store().setPendingCallSession('c1', '4343');
      await store().setPendingCallSession('unknown', '1');
      expect(await store().getPendingCall('c1')).toEqual(pendingCall('c1', { sessionId: '4343' }));
      expect(await store().getPendingCall('unknown')).toBeNull();
    });

    it('keeps nothing a caller changes afterwards', async () => {
      const call = { ...pendingCall('c1') };
      await store().savePendingCall(call);
      Object.assign(call, { phone: '0' });
      const read = await store().getPendingCall('c1');
      if (read) Object.assign(read, { phone: '1' });
      expect((await store().getPendingCall('c1'))?.phone).toBe('79160000001');
    });

    it('forgets, on a save, the calls created more than the TTL before it', async () => {
      await store().savePendingCall(pendingCall('old', { createdAt: T0 }));
      await store().savePendingCall(pendingCall('edge', { createdAt: T0 + 1 }));
      await store().savePendingCall(pendingCall('new', { createdAt: T0 + 1 + PENDING_CALL_TTL_MS }));
      expect(await store().getPendingCall('old')).toBeNull();
      expect(await store().getPendingCall('edge')).not.toBeNull();
      expect(await store().getPendingCall('new')).not.toBeNull();
    });
  });
}
