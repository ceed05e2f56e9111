import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DuplicateLeadError } from '../../src/engine/index.js';
import { customer, MINUTE, startEngine, useStore } from './harness.js';

type Harness = Awaited<ReturnType<typeof startEngine>>;
let h: Harness;
afterEach(async () => {
  await h?.engine.stop();
  await h?.store.close();
});

const HOUR = 60 * MINUTE;
/** Not a callable number: the lead finishes as soon as its CRM lead exists. */
const order = { ...customer, phone: '12345', ref: 'order-1', comment: 'две пачки' };

describe.each(['memory', 'sqlite'] as const)('engine on the %s store: a retried submit', (kind) => {
  beforeAll(() => useStore(kind));

  it('the same ref and body after the first lead finished replays its answer: one CRM lead', async () => {
    h = await startEngine();
    const first = await h.engine.submitLead(order);
    expect((await h.lead(first.leadId)).finished).toBe(true);

    const again = await h.engine.submitLead({ ...order });
    await h.settle();
    expect(again).toEqual(first);
    expect(h.crm.leads.size).toBe(1);
    expect((await h.store.stats()).unfinished).toBe(0);
  });

  it('the same body laid out differently is the same body', async () => {
    h = await startEngine();
    const first = await h.engine.submitLead({
      comment: ' две пачки ',
      ref: 'order-1',
      ...customer,
      phone: '12345',
    });
    const again = await h.engine.submitLead(order);
    expect(again.leadId).toBe(first.leadId);
  });

  it('the same ref with another body after the first finished is a new lead', async () => {
    h = await startEngine();
    const first = await h.engine.submitLead(order);
    expect((await h.lead(first.leadId)).finished).toBe(true);

    const second = await h.engine.submitLead({ ...order, comment: 'три пачки' });
    await h.settle();
    expect(second.leadId).not.toBe(first.leadId);
    expect(h.crm.leads.size).toBe(2);
  });

  it('the same ref and body 25 hours later is a new lead', async () => {
    h = await startEngine();
    const first = await h.engine.submitLead(order);
    expect((await h.lead(first.leadId)).finished).toBe(true);

    await h.clock.advance(25 * HOUR);
    const later = await h.engine.submitLead(order);
    await h.settle();
    expect(later.leadId).not.toBe(first.leadId);
    expect(h.crm.leads.size).toBe(2);
  });

  it('two identical submits at once make one lead, and both answer it', async () => {
    h = await startEngine();
    const [a, b] = await Promise.all([h.engine.submitLead(order), h.engine.submitLead(order)]);
    await h.settle();
    expect(b).toEqual(a);
    expect(h.crm.leads.size).toBe(1);
  });

  it('another body of the same ref while the first is in progress is still a duplicate', async () => {
    h = await startEngine();
    const first = await h.engine.submitLead({ ...customer, ref: 'order-2' });
    await expect(h.engine.submitLead({ ...customer, ref: 'order-2', comment: 'ещё' })).rejects.toEqual(
      new DuplicateLeadError(first.leadId),
    );
    // A retry of the first, while it is dialling, answers as the first did.
    expect(await h.engine.submitLead({ ...customer, ref: 'order-2' })).toEqual(first);
    expect(h.voice.started).toHaveLength(1);
  });
});
