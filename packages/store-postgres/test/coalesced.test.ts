import type { LeadUpdate, StoredLead } from '@prozvon/sdk';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEntry, newEffect, newLead, sameState, T0 } from '../../sdk/test/stores/lead-store-fixtures.js';
import { PostgresLeadStore } from '../src/index.js';
import { postgres, useFreshSchema } from './support/postgres-schema.js';

// finishEffect's writes of one turn go in one statement (coalesced.ts), each as it would alone:
// its own effect, result and audit; an effect given twice (once under a lead it is not of) keeps
// the order asked in, as the contract's single calls do. So do getLead's reads of one turn, each
// caller with a lead of its own, and countHits' calls, each answered as if it ran alone in turn
// (counts.test.ts checks that at length). And updateLead's decisions on leads as last written:
// one statement for those whose row is still that, the locked way for exactly the others.
const db = useFreshSchema();

describe.skipIf(!postgres.found)(
  'PostgreSQL finishEffect, getLead, countHits and updateLead, several in one turn',
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

    /** Changes the row of `leadId` behind the store's back (no new version): its known row is stale. */
    const changeBehind = async (leadId: string) => {
      const client = new pg.Client({ connectionString: db.url(), options: `-c search_path=${db.schema()}` });
      await client.connect();
      try {
        await client.query('UPDATE leads SET wake_at = $1 WHERE id = $2', [T0 + 5, leadId]);
      } finally {
        await client.end();
      }
    };

    it('writes the decisions of one turn in one statement, and decides again alone on a changed row', async () => {
      const leads = ['l1', 'l2', 'l3'];
      for (const id of leads) await store.insertLead(newLead(id), [newEffect(id, 'notify')], []);
      const effects = await Promise.all(leads.map(async (id) => (await store.getEffects(id))[0]?.id));
      await changeBehind('l2');
      sent = [];
      const seen: string[] = [];
      const decide = (lead: StoredLead): LeadUpdate => {
        seen.push(`${lead.id}@${lead.wakeAt}`);
        return sameState(lead, {
          snapshot: { decided: lead.id },
          updatedAt: T0 + 7,
          effects: [newEffect(lead.id, 'sms')],
          audit: [auditEntry(lead.id, { decided: lead.id })],
          facts: { outcome: 'machine' },
        });
      };
      await Promise.all(
        leads.map((id, i) =>
          store.updateLead(id, decide, {
            completeEffect: { effectId: effects[i] as number, status: 'done', result: { i }, at: T0 + 6 },
            audit: [auditEntry(id, { cause: i })],
          }),
        ),
      );
      expect(sent.filter((name) => /decision|lock_lead/.test(name))).toEqual([
        'prozvon_apply_decisions',
        'prozvon_lock_lead',
        'prozvon_apply_decision',
      ]);
      expect(seen.sort()).toEqual([`l1@null`, `l2@${T0 + 5}`, `l2@null`, `l3@null`]);
      for (const [i, id] of leads.entries()) {
        const lead = await store.getLead(id);
        expect(lead).toMatchObject({ snapshot: { decided: id }, version: 2, updatedAt: T0 + 7 });
        expect((await store.getEffects(id)).map((e) => [e.key, e.status, e.result, e.createdAt])).toEqual([
          [`lead:${id}:notify`, 'done', { i }, T0],
          [`lead:${id}:sms`, 'pending', null, T0 + 7],
        ]);
        expect((await store.getAudit(id)).map((entry) => entry.detail)).toEqual([
          { cause: i },
          { decided: id },
        ]);
        expect((await store.getLeadFacts(id))?.outcome).toBe('machine');
      }
    });

    it("completes an effect a turn's decisions give twice by its own lead's, as if one after the other", async () => {
      // l1's decision starts first (lead order) and names l2's effect: not l1's, it completes nothing.
      const effectId = await claimOne('l2');
      await store.insertLead(newLead('l1'), [], []);
      const completing = (status: 'done' | 'failed', result: string) => ({
        completeEffect: { effectId, status, result, at: T0 + 1 },
      });
      sent = [];
      await Promise.all([
        store.updateLead('l1', (lead) => sameState(lead), completing('failed', 'wrong lead')),
        store.updateLead('l2', (lead) => sameState(lead), completing('done', 'own lead')),
      ]);
      expect(await store.getEffects('l2')).toMatchObject([{ status: 'done', result: 'own lead' }]);
      expect(sent.filter((name) => name === 'prozvon_apply_decisions')).toHaveLength(2);
    });

    it('counts the calls in flight of the decisions written, not of one decided again', async () => {
      // l1 is first in the turn (lead order) but its row changed: its dial, not written by the
      // turn's statement, must take no room from l2's; decided again after it, l1's waits.
      const leads = ['l1', 'l2', 'l3'];
      for (const id of leads) await store.insertLead(newLead(id), [], []);
      await changeBehind('l1');
      const dial = (id: string) =>
        newEffect(id, 'dial', { paid: true, claim: { owner: 'a', leaseUntil: T0 + 30_000, cap: 1 } });
      const results = await Promise.all(
        leads.map((id) => store.updateLead(id, (lead) => sameState(lead, { effects: [dial(id)] }))),
      );
      expect(results.map((result) => result?.claimed.map((effect) => effect.leadId))).toEqual([
        [],
        ['l2'],
        [],
      ]);
      const statuses = await Promise.all(leads.map(async (id) => (await store.getEffects(id))[0]?.status));
      expect(statuses).toEqual(['pending', 'started', 'pending']);
    });

    it('inserts the new leads of one turn in one statement, each with its own effects and audit', async () => {
      const ids = ['n1', 'n2', 'n3'];
      const results = await Promise.all(
        ids.map((id, i) =>
          store.insertLead(
            newLead(id, { facts: { partner: `p${i}`, orderSum: 100 + i } }),
            [
              newEffect(id, 'notify', { claim: { owner: 'a', leaseUntil: T0 + 30_000 } }),
              newEffect(id, 'sms'),
            ],
            [auditEntry(id, { submitted: i })],
          ),
        ),
      );
      expect(sent.filter((name) => name.startsWith('prozvon_insert_lead'))).toEqual(['prozvon_insert_leads']);
      for (const [i, id] of ids.entries()) {
        const result = results[i];
        expect(result?.inserted && result.claimed.map((effect) => [effect.leadId, effect.kind])).toEqual([
          [id, 'notify'],
        ]);
        expect((await store.getEffects(id)).map((effect) => [effect.kind, effect.status])).toEqual([
          ['notify', 'started'],
          ['sms', 'pending'],
        ]);
        expect((await store.getAudit(id)).map((entry) => entry.detail)).toEqual([{ submitted: i }]);
        expect(await store.getLeadFacts(id)).toMatchObject({ partner: `p${i}`, orderSum: 100 + i });
      }
      // A lead with a ref is inserted after its rules, by the same statement.
      sent = [];
      await store.insertLead(newLead('r1', { ref: 'order-1' }), [], []);
      expect(sent.filter((name) => /^prozvon_(ref_rules|insert_lead)/.test(name))).toEqual([
        'prozvon_ref_rules',
        'prozvon_insert_leads',
      ]);
      expect((await store.getLead('r1'))?.ref).toBe('order-1');
    });

    it("tries the call locks of one turn's writes in one statement, each write its shops' claims", async () => {
      // Three new leads of two shops, each with a dial claimed within its shop's cap of 1: one
      // try of both shops' locks for the turn (not one a write); the first of a shop claims.
      const dial = (id: string, tenantId: string) =>
        newEffect(id, 'dial', {
          tenantId,
          paid: true,
          claim: { owner: 'a', leaseUntil: T0 + 30_000, cap: 1 },
        });
      const leads = [
        ['l1', 'shop-a'],
        ['l2', 'shop-b'],
        ['l3', 'shop-a'],
      ] as const;
      const results = await Promise.all(
        leads.map(([id, tenantId]) => store.insertLead(newLead(id, { tenantId }), [dial(id, tenantId)], [])),
      );
      expect(sent.filter((name) => name === 'prozvon_try_lock_call_tenants')).toHaveLength(1);
      expect(results.map((result) => result.inserted && result.claimed.length)).toEqual([1, 1, 0]);
      const statuses = await Promise.all(leads.map(async ([id]) => (await store.getEffects(id))[0]?.status));
      expect(statuses).toEqual(['started', 'started', 'pending']);
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
