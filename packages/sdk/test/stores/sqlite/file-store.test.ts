import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/stores/sqlite/connection.js';
import { SqliteLeadStore } from '../../../src/stores/sqlite/index.js';
import { auditEntry, newEffect, newLead, sameState, T0 } from '../lead-store-fixtures.js';
import { useTempDir } from './temp-dir.js';

describe('SqliteLeadStore on a file', () => {
  const dir = useTempDir();

  it('opens the file in WAL mode with synchronous=NORMAL, a busy timeout, foreign keys and journals of savepoints in memory', () => {
    const db = openDatabase(join(dir(), 'leads.db'), 1_234);
    const pragma = (name: string) => Object.values(db.prepare(`PRAGMA ${name}`).get() ?? {})[0];
    expect(pragma('journal_mode')).toBe('wal');
    expect(pragma('synchronous')).toBe(1); // NORMAL
    expect(pragma('busy_timeout')).toBe(1_234);
    expect(pragma('foreign_keys')).toBe(1);
    expect(pragma('temp_store')).toBe(2); // MEMORY
    db.close();
  });

  it('keeps everything across close and reopen', async () => {
    const file = join(dir(), 'leads.db');
    const first = new SqliteLeadStore(file);
    await first.insertLead(
      newLead('l1', { ref: 'order-1', wakeAt: T0 + 10, snapshot: { context: { note: 'Привет', sum: 1.5 } } }),
      [newEffect('l1', 'createCrmLead'), newEffect('l1', 'dial', { paid: true })],
      [auditEntry('l1', { event: 'SUBMITTED' })],
    );
    await first.insertLead(newLead('l2', { wakeAt: T0 }), [], []);
    await first.claimDueLeads(T0, 1, 'worker-a', 60_000);
    const [effect] = await first.claimEffects(T0, 1, 'worker-a', 60_000);
    if (!effect) throw new Error('effect not claimed');
    await first.updateLead('l1', (lead) => sameState(lead, { callState: 'dialing', updatedAt: T0 + 1 }), {
      completeEffect: { effectId: effect.id, status: 'done', result: { crmLeadId: 7 }, at: T0 + 1 },
    });
    const before = {
      leads: [await first.getLead('l1'), await first.getLead('l2')],
      effects: await first.getEffects('l1'),
      audit: await first.getAudit('l1'),
      stats: await first.stats(),
      next: await first.nextDueAt(),
    };
    await first.close();

    const second = new SqliteLeadStore(file);
    expect({
      leads: [await second.getLead('l1'), await second.getLead('l2')],
      effects: await second.getEffects('l1'),
      audit: await second.getAudit('l1'),
      stats: await second.stats(),
      next: await second.nextDueAt(),
    }).toEqual(before);
    // The rules survive too: the ref is still taken, the lease still held.
    expect(await second.insertLead(newLead('l3', { ref: 'order-1' }), [], [])).toEqual({
      inserted: false,
      existingLeadId: 'l1',
    });
    expect(await second.claimDueLeads(T0 + 59_999, 10, 'worker-b', 60_000)).toHaveLength(1);
    await second.close();
  });

  it('keeps a pending call, and its session, across close and reopen (a restart mid-call)', async () => {
    const file = join(dir(), 'leads.db');
    const first = new SqliteLeadStore(file);
    const call = {
      callId: 'AbCdEfGhIjKlMnOpQrStUv',
      key: 'lead:l1:dial:1',
      leadId: 'l1',
      attempt: 1,
      phone: '79160000001',
      callerId: '74950000000',
      customerName: 'Анна',
      scenarioId: 'prozvon-callback',
      createdAt: T0,
    };
    await first.savePendingCall(call);
    await first.setPendingCallSession(call.callId, '123456');
    await first.close();

    const second = new SqliteLeadStore(file);
    expect(await second.getPendingCall(call.callId)).toEqual({ ...call, sessionId: '123456' });
    await second.close();
  });

  it('closes twice without error', async () => {
    const store = new SqliteLeadStore(join(dir(), 'leads.db'));
    await store.close();
    await store.close();
  });
});

describe('SqliteLeadStore.insertLeads', () => {
  it('inserts a batch in one transaction, claimable in wake order', async () => {
    const store = new SqliteLeadStore(':memory:');
    const batch = Array.from({ length: 1_000 }, (_, i) => newLead(`l${i}`, { wakeAt: T0 + 1_000 - i }));
    expect(await store.insertLeads(batch)).toBe(1_000);

    expect(await store.stats()).toMatchObject({ unfinished: 1_000, waiting: 1_000 });
    expect(await store.nextDueAt()).toBe(T0 + 1);
    expect((await store.claimDueLeads(T0 + 2, 10, 'w', 1_000)).map((l) => l.id)).toEqual(['l999', 'l998']);
    await store.close();
  });

  it('rejects the whole batch when one lead breaks the ref rule', async () => {
    const store = new SqliteLeadStore(':memory:');
    await store.insertLead(newLead('old', { ref: 'r' }), [], []);
    await expect(store.insertLeads([newLead('a'), newLead('b', { ref: 'r' })])).rejects.toThrow(/UNIQUE/);
    expect(await store.getLead('a')).toBeNull();
    await store.close();
  });
});
