import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NO_FACTS } from '../../src/ports/index.js';
import { bucketedDelay } from '../../src/stores/speed-buckets.js';
import { DAYTIME, MINUTE, startEngine, useStore } from './harness.js';
import { driveFactScenarios } from './lead-facts-scenarios.js';

type Harness = Awaited<ReturnType<typeof startEngine>>;
let h: Harness;
afterEach(async () => {
  await h?.engine.stop();
  await h?.store.close();
});

describe.each(['memory', 'sqlite'] as const)('engine on the %s store: the dashboard columns', (kind) => {
  beforeAll(() => useStore(kind));

  it('fills partner, site, sum, first ring, pick-up and outcome as each lead moves', async () => {
    h = await startEngine();
    const ids = await driveFactScenarios(h);
    const facts = async (id: string) => h.store.getLeadFacts(id);
    expect(await facts(ids.answered)).toEqual({
      ...NO_FACTS,
      partner: 'PARTNER42',
      partnerName: 'Блогер Иван',
      site: 'shop.example',
      orderSum: 990,
      currency: 'RUB',
      firstRingAt: DAYTIME,
      answeredAt: DAYTIME + 9_000,
      outcome: 'answered',
    });
    expect(await facts(ids.machine)).toEqual({
      ...NO_FACTS,
      site: 'other.example',
      firstRingAt: DAYTIME + 30_000,
      outcome: 'machine',
    });
    // Rung three times: the first ring stays the first attempt's.
    const noAnswer = await facts(ids.noAnswer);
    expect(noAnswer).toMatchObject({ orderSum: 10, outcome: 'no_answer', answeredAt: null });
    expect(noAnswer?.firstRingAt).toBe(DAYTIME + 90_000);
    expect(await facts(ids.invalid)).toEqual({ ...NO_FACTS, partner: 'NOBODY', outcome: 'invalid' });
    expect(await facts(ids.stopped)).toMatchObject({
      orderSum: 5,
      currency: 'USD',
      outcome: 'manual',
      firstRingAt: DAYTIME + 90_000 + 90 * MINUTE,
    });
    expect(await facts(ids.inProgress)).toMatchObject({
      outcome: null,
      answeredAt: null,
      partner: 'PARTNER42',
    });
  });

  it('"it was a person": marks a machine outcome once, audited, and the dashboard counts it', async () => {
    h = await startEngine();
    const ids = await driveFactScenarios(h);
    const at = h.clock.now();
    expect(await h.engine.markMachineAsPerson('default', ids.machine, 'b24user:7')).toEqual({
      outcome: 'marked',
      at,
      by: 'b24user:7',
    });
    await h.clock.advance(MINUTE);
    expect(await h.engine.markMachineAsPerson('default', ids.machine, 'b24user:8')).toEqual({
      outcome: 'already_marked',
      at,
      by: 'b24user:7',
    });
    expect(await h.engine.markMachineAsPerson('default', ids.answered, 'b24user:7')).toEqual({
      outcome: 'not_machine',
      leadOutcome: 'answered',
    });
    expect(await h.engine.markMachineAsPerson('elsewhere', ids.machine, 'b24user:7')).toEqual({
      outcome: 'unknown_lead',
    });
    const trail = await h.store.getAudit(ids.machine);
    expect(
      trail.filter((entry) => (entry.detail as { event?: string }).event === 'MACHINE_WAS_PERSON'),
    ).toEqual([expect.objectContaining({ at, detail: { event: 'MACHINE_WAS_PERSON', by: 'b24user:7' } })]);

    const dashboard = await h.store.dashboard('default', {
      from: DAYTIME,
      to: h.clock.now() + 1,
      groupBy: 'site',
      timeZone: 'Europe/Moscow',
    });
    expect(dashboard.total).toMatchObject({
      leads: 6,
      outcomes: { answered: 1, machine: 1, no_answer: 1, invalid: 1, manual: 1, in_progress: 1 },
      machine: { outcomes: 1, markedPerson: 1, markRate: 1 },
      // A pick-up 9 s after the submit, read as its speed bucket's lower bound (ports/dashboard.ts).
      speed: { answer: { leads: 1, medianMs: bucketedDelay(9_000), p90Ms: bucketedDelay(9_000) } },
    });
    expect(dashboard.groups.map((group) => [group.key, group.leads])).toEqual([
      [null, 3],
      ['shop.example', 2],
      ['other.example', 1],
    ]);
  });
});
