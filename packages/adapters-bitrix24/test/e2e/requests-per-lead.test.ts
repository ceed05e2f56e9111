import type { CallRecord, CrmPort } from '@prozvon/sdk';
import { describe, expect, it } from 'vitest';
import { createBitrix24Crm } from '../../src/index.js';
import { countRequests, installApp, leadRequest, recordings, startSim } from './helpers.js';

const requests = countRequests();

/** The answered path of one lead, as the engine drives it: partner, lead, the call on the card. */
async function answeredPath(crm: CrmPort, index: number): Promise<string> {
  const partner = await crm.findPartner('p-42');
  const { id } = await crm.createLead(leadRequest({ key: `lead:burst-${index}:crm`, partner }));
  const record: CallRecord = {
    key: `lead:burst-${index}:call:1`,
    attempt: 1,
    phone: `+7916${String(1_000_000 + index)}`,
    outcome: 'answered',
    startedAt: Date.UTC(2026, 10, 25, 9, 31),
    durationSec: 30,
    recordingUrl: recordings.url(`${index}.mp3`),
  };
  await crm.recordCall(id, record);
  return id;
}

// DESIGN.md: calls to Bitrix24 respect the portal's request budget (2 a second, 50 burst) and use
// batch where several calls go together. These tests count what actually leaves the process.
describe('REST requests per lead, OAuth, with the portal bucket and the SDK limiter on', () => {
  it('an isolated lead costs 4 requests: partner, duplicate check, add, call entry', async () => {
    const sim = await startSim();
    sim.portal().seedCompany({ TITLE: 'ООО Партнёр', UF_CRM_PROZVON_REF: 'p-42' });
    const { auth } = await installApp(sim);
    const crm = createBitrix24Crm({ auth });
    await answeredPath(crm, 0);
    expect(requests.paths).toHaveLength(4);
    expect(sim.state.activities()).toHaveLength(1);
  });

  it('a burst of 20 leads costs at most 1.5 requests a lead, every lead and call written once', async () => {
    const sim = await startSim();
    sim.portal().seedCompany({ TITLE: 'ООО Партнёр', UF_CRM_PROZVON_REF: 'p-42' });
    const { auth } = await installApp(sim);
    const crm = createBitrix24Crm({ auth });
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => answeredPath(crm, i)));
    expect(new Set(ids).size).toBe(20);
    expect(sim.state.leads()).toHaveLength(20);
    expect(sim.state.activities()).toHaveLength(20);
    expect(sim.state.calls().every((call) => call.record !== undefined)).toBe(true);
    const perLead = requests.paths.length / 20;
    // Measured: 5 requests (partner 1, look-up 1, add 1, call entries 2 as 60 commands > 50).
    expect(perLead).toBeLessThanOrEqual(1.5);
    expect(requests.statuses.every((status) => status === 200)).toBe(true);
  });

  it('a portal bucket tighter than the SDK limiter answers QUERY_LIMIT_EXCEEDED, and no lead is lost', async () => {
    const sim = await startSim({ rateLimit: { burst: 1, drainPerSecond: 2 } });
    sim.portal().seedCompany({ TITLE: 'ООО Партнёр', UF_CRM_PROZVON_REF: 'p-42' });
    const { auth } = await installApp(sim);
    // One request out at a time would stay under any bucket; two let the portal refuse one.
    const crm = createBitrix24Crm({ auth, maxInFlight: 2 });
    const ids = await Promise.all(Array.from({ length: 60 }, (_, i) => answeredPath(crm, i)));
    expect(new Set(ids).size).toBe(60);
    expect(sim.state.leads()).toHaveLength(60);
    expect(sim.state.activities()).toHaveLength(60);
    expect(requests.statuses).toContain(503);
  });
});
