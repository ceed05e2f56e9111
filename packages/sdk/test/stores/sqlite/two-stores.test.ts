import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteLeadStore } from '../../../src/stores/sqlite/index.js';
import { newEffect, newLead, T0 } from '../lead-store-fixtures.js';
import type { ClaimWorkerData, ClaimWorkerResult } from './claim-worker.js';
import { runWorker } from './run-worker.js';
import { useTempDir } from './temp-dir.js';

const WORKERS = 2;

const runClaims = (data: ClaimWorkerData) =>
  runWorker<ClaimWorkerData, ClaimWorkerResult>('./claim-worker.ts', data);

describe('two SqliteLeadStores on one file, in two threads', () => {
  const dir = useTempDir();

  it('never both claim the same lead or effect', async () => {
    const file = join(dir(), 'leads.db');
    const seed = new SqliteLeadStore(file);
    await seed.insertLeads(Array.from({ length: 600 }, (_, i) => newLead(`due-${i}`, { wakeAt: T0 + i })));
    for (let i = 0; i < 60; i++) {
      const effects = Array.from({ length: 10 }, (_, j) =>
        newEffect(`busy-${i}`, `e${j}`, { paid: j % 2 === 0 }),
      );
      await seed.insertLead(newLead(`busy-${i}`), effects, []);
    }

    const barrier = new Int32Array(new SharedArrayBuffer(4));
    const now = T0 + 1_000;
    const results = await Promise.all(
      Array.from({ length: WORKERS }, (_, i) =>
        runClaims({ file, owner: `worker-${i}`, now, barrier, workers: WORKERS }),
      ),
    );

    const leads = results.flatMap((r) => r.leads);
    const effects = results.flatMap((r) => r.effects);
    expect(leads).toHaveLength(600);
    expect(new Set(leads).size).toBe(600);
    expect(effects).toHaveLength(600);
    expect(new Set(effects).size).toBe(600);
    // Both really took part: otherwise this would prove nothing about two writers.
    for (const result of results) expect(result.leads.length + result.effects.length).toBeGreaterThan(0);

    expect(await seed.stats()).toMatchObject({ unfinished: 60, waiting: 0, pendingEffects: 0 });
    const rows = (
      await Promise.all(Array.from({ length: 60 }, (_, i) => seed.getEffects(`busy-${i}`)))
    ).flat();
    expect(rows.every((e) => e.status === 'done' && e.attempts === 1)).toBe(true);
    await seed.close();
  });
});

describe('two SqliteLeadStores on one file (two instances of the app)', () => {
  const dir = useTempDir();

  it('adopting one CRM lead on both at once stores one lead, and both answer it', async () => {
    const file = join(dir(), 'leads.db');
    const one = new SqliteLeadStore(file);
    const two = new SqliteLeadStore(file);
    await one.migrate();
    await two.migrate();
    const adopted = (id: string) => newLead(id, { adoptedCrmLeadId: '42', crmState: 'created' });

    const results = await Promise.all([
      one.insertLead(adopted('a'), [newEffect('a', 'dial:1', { paid: true })], []),
      two.insertLead(adopted('b'), [newEffect('b', 'dial:1', { paid: true })], []),
    ]);

    expect(results.filter((result) => result.inserted)).toHaveLength(1);
    const stored = (await Promise.all([one.getLead('a'), one.getLead('b')])).filter((lead) => lead !== null);
    expect(stored).toHaveLength(1);
    expect(results.find((result) => !result.inserted)).toMatchObject({
      adopted: true,
      leadId: stored[0]?.id,
    });
    await one.close();
    await two.close();
  });
});
