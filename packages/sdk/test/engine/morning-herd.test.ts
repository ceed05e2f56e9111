import { afterEach, describe, expect, it } from 'vitest';
import type { StartCallRequest } from '../../src/ports/index.js';
import { customer, NIGHT, phoneOf, startEngine } from './harness.js';

type Harness = Awaited<ReturnType<typeof startEngine>>;
let h: Harness;
afterEach(async () => {
  await h?.engine.stop();
  await h?.store.close();
});

describe.each(['memory', 'sqlite'] as const)('the morning herd on the %s store', (store) => {
  it('dials night leads when the window opens, first submitted first, at most 10 at once per shop', async () => {
    h = await startEngine({ at: NIGHT, store });
    const leads: string[] = [];
    for (let i = 0; i < 35; i++) {
      const { leadId } = await h.engine.submitLead({ ...customer, name: `Customer ${i}`, phone: phoneOf(i) });
      await h.clock.advance(1_000);
      leads.push(leadId);
    }
    // Each StartScenarios request stays open until the test lets it finish.
    let inFlight = 0;
    let mostInFlight = 0;
    const waiting: (() => void)[] = [];
    const dialled: string[] = [];
    h.voice.startCall = async (request: StartCallRequest) => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      dialled.push(request.leadId);
      await new Promise<void>((resolve) => waiting.push(resolve));
      inFlight--;
      return { sessionId: request.key };
    };
    const lead0 = await h.lead(leads[0] ?? '');
    await h.clock.advanceTo(lead0.wakeAt ?? 0);
    for (let round = 0; round < 50 && dialled.length < leads.length; round++) {
      await h.settle();
      waiting.splice(0).forEach((release) => {
        release();
      });
    }
    await h.settle();
    expect(dialled).toEqual(leads);
    expect(mostInFlight).toBe(10);
    expect(h.sms.sent.filter((sms) => sms.key.endsWith(':sms:night'))).toHaveLength(35);
  });
});
