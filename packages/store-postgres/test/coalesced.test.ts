import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEntry, newEffect, newLead, T0 } from '../../sdk/test/stores/lead-store-fixtures.js';
import { PostgresLeadStore } from '../src/index.js';
import { postgres, useFreshSchema } from './support/postgres-schema.js';

// finishEffect's writes of one turn go in one statement (coalesced.ts), each as it would alone:
// its own effect, result and audit; an effect given twice (once under a lead it is not of) keeps
// the order asked in, as the contract's single calls do. So do getLead's reads of one turn, each
// caller with a lead of its own, and countHits' calls, each answered as if it ran alone in turn
// (counts.test.ts checks that at length).
const db = useFreshSchema();

describe.skipIf(!postgres.found)(
  'PostgreSQL finishEffect, getLead and countHits, several in one turn',
  () => {
    let store: PostgresLeadStore;
    let sent: string[] = [];
    const query = pg.Client.prototype.query;
    beforeEach(async () => {
      store = await PostgresLeadStore.open({ url: db.url(), schema: db.schema(), poolSize: 4 });
      await db.empty();
      sent = [];
      pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
        const first = args[0] as { name?: string } | string;
        if (typeof first === 'object' && first?.name) sent.push(first.name);
        return (query as (...a: unknown[]) => unknown).apply(this, args);
      } as typeof query;
    });
    afterEach(async () => {
      pg.Client.prototype.query = query;
      await store.close();
    });

    const claimOne = async (leadId: string) => {
      await store.insertLead(newLead(leadId), [newEffect(leadId, 'notify')], []);
      const effect = (await store.getEffects(leadId))[0];
      if (!effect) throw new Error('no effect');
      return effect.id;
    };

    it('writes each with its own result and audit, in one statement', async () => {
      const ids = [await claimOne('l1'), await claimOne('l2'), await claimOne('l3')];
      await store.claimEffects(T0, 10, 'worker-a', 30_000);
      sent = [];
      await Promise.all(
        ids.map((effectId, i) =>
          store.finishEffect(
            `l${i + 1}`,
            { effectId, status: i === 1 ? 'failed' : 'done', result: { n: i }, at: T0 + i },
            [auditEntry(`l${i + 1}`, { finished: i }, { type: 'effect', key: `k${i}`, at: T0 + i })],
          ),
        ),
      );
      expect(sent.filter((name) => name === 'prozvon_finish_effects')).toHaveLength(1);
      for (const [i, effectId] of ids.entries()) {
        const leadId = `l${i + 1}`;
        expect(await store.getEffects(leadId)).toMatchObject([
          { id: effectId, status: i === 1 ? 'failed' : 'done', result: { n: i }, finishedAt: T0 + i },
        ]);
        expect((await store.getAudit(leadId)).map((entry) => entry.detail)).toEqual([{ finished: i }]);
      }
    });

    it('finishes an effect given first under another lead by its own lead', async () => {
      // The other lead's write starts first in its batch (lead order: write-queue.ts).
      const effectId = await claimOne('l2');
      await store.insertLead(newLead('l1'), [], []);
      await Promise.all([
        store.finishEffect('l1', { effectId, status: 'failed', result: 'wrong lead', at: T0 + 1 }, []),
        store.finishEffect('l2', { effectId, status: 'done', result: 'own lead', at: T0 + 2 }, []),
        store.finishEffect('l2', { effectId, status: 'failed', result: 'second', at: T0 + 3 }, []),
      ]);
      expect(await store.getEffects('l2')).toMatchObject([{ status: 'done', result: 'own lead' }]);
    });

    it('reads the leads of one turn in one statement, each caller given objects of its own', async () => {
      await store.insertLead(newLead('l1'), [], []);
      await store.insertLead(newLead('l2'), [], []);
      sent = [];
      const [a, b, again, none] = await Promise.all([
        store.getLead('l1'),
        store.getLead('l2'),
        store.getLead('l1'),
        store.getLead('nope'),
      ]);
      expect(sent).toEqual(['prozvon_get_leads']);
      expect([a?.id, b?.id, again?.id, none]).toEqual(['l1', 'l2', 'l1', null]);
      expect(again).toEqual(a);
      expect(again?.snapshot).not.toBe(a?.snapshot);
    });

    it('counts the calls of one turn in two statements, each answered as if alone in turn', async () => {
      const hit = (key: string, limit: number) => ({ key, by: 1, limit, until: T0 + 60_000 });
      const answers = await Promise.all([
        store.countHits([hit('phone', 2), hit('shop', 10)], T0),
        store.countHits([hit('phone', 2), hit('shop', 10)], T0),
        store.countHits([hit('phone', 2), hit('shop', 10)], T0),
        store.countHits([hit('shop', 10)], T0),
      ]);
      expect(answers).toEqual([
        { counted: true, totals: [1, 1] },
        { counted: true, totals: [2, 2] },
        { counted: false, totals: [2, 2] },
        { counted: true, totals: [3] },
      ]);
      expect(sent.filter((name) => name.endsWith('_counters'))).toEqual([
        'prozvon_lock_counters',
        'prozvon_set_counters',
      ]);
      expect(await store.countHits([hit('phone', 3), hit('shop', 10)], T0 + 1)).toEqual({
        counted: true,
        totals: [3, 4],
      });
    });
  },
);
