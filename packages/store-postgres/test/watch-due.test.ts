import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newEffect, newLead, sameState, T0 } from '../../sdk/test/stores/lead-store-fixtures.js';
import { PostgresLeadStore } from '../src/index.js';
import { postgres, useFreshSchema } from './support/postgres-schema.js';

// LISTEN/NOTIFY: an instance hears of what another commits as due, with the earliest instant of
// each write batch, so its engine can arm its timer for it rather than wait for its own.
const db = useFreshSchema();

describe.skipIf(!postgres.found)('watchDue', () => {
  let writer: PostgresLeadStore;
  let watcher: PostgresLeadStore;
  let heard: number[];
  let stop: () => Promise<void>;

  beforeEach(async () => {
    const open = () => PostgresLeadStore.open({ url: db.url(), schema: db.schema(), poolSize: 3 });
    [writer, watcher] = await Promise.all([open(), open()]);
    await db.empty();
    heard = [];
    stop = await watcher.watchDue((at) => heard.push(at));
  });
  afterEach(async () => {
    await stop();
    await Promise.all([writer.close(), watcher.close()]);
  });

  /** The notifications are delivered after the COMMIT; a round trip of the watcher's own follows them. */
  const settle = async (count: number) => {
    for (let i = 0; i < 200 && heard.length < count; i++) await new Promise((r) => setTimeout(r, 10));
  };

  it('hears the earliest instant of each committed write that makes something due', async () => {
    await writer.insertLead(
      newLead('l1', { wakeAt: T0 + 50 }),
      [newEffect('l1', 'createCrmLead', { availableAt: T0 + 20 })],
      [],
    );
    await settle(1);
    await writer.insertLead(newLead('idle'), [], []); // nothing due: nothing sent
    await writer.updateLead('l1', (lead) => sameState(lead, { wakeAt: T0 + 90 }));
    await settle(2);
    await writer.updateLead('l1', (lead) => sameState(lead, { wakeAt: null, finished: true }));
    await writer.releaseEffect(999, 'nobody', T0 + 7, null);
    await settle(3);
    expect(heard).toEqual([T0 + 20, T0 + 90, T0 + 7]);
  });

  it('hears nothing of a write that failed: the NOTIFY is part of its transaction', async () => {
    await expect(
      writer.insertLead(newLead('l1', { wakeAt: T0 + 5 }), [newEffect('ghost', 'x')], []),
    ).rejects.toThrow();
    await writer.insertLead(newLead('l2', { wakeAt: T0 + 6 }), [], []);
    await settle(1);
    expect(heard).toEqual([T0 + 6]);
  });

  it('stops hearing once stopped, and close() ends every watch', async () => {
    await stop();
    await writer.insertLead(newLead('l1', { wakeAt: T0 }), [], []);
    const again: number[] = [];
    stop = await watcher.watchDue((at) => again.push(at));
    await writer.insertLead(newLead('l2', { wakeAt: T0 + 1 }), [], []);
    for (let i = 0; i < 200 && again.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(heard).toEqual([]);
    expect(again).toEqual([T0 + 1]);
  });
});
