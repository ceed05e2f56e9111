import { afterEach, describe, expect, it } from 'vitest';
import {
  apiDate,
  startVoximplantSim,
  VOXIMPLANT_TOO_MANY_REQUESTS,
  type VoximplantSim,
  voximplantApiFault,
} from '../../src/index.js';
import { callApi, serviceToken, startReceiver, TEST_SCENARIO } from './helpers.js';

let sim: VoximplantSim;
afterEach(() => sim?.close());

async function startCall(number: string, url: string): Promise<number> {
  const answer = await callApi(
    sim.url,
    'StartScenarios',
    { rule_id: sim.ruleId, script_custom_data: JSON.stringify({ number, url }) },
    serviceToken(sim.serviceKey),
  );
  return answer.body.call_session_history_id as number;
}

const history = (params: Record<string, string | number>) =>
  callApi(sim.url, 'GetCallHistory', params, serviceToken(sim.serviceKey));

describe('Voximplant simulator: GetCallHistory', () => {
  it('lists ended sessions with their calls, by id or by exact custom data', async () => {
    sim = await startVoximplantSim({
      scenarioSource: TEST_SCENARIO,
      timeScale: 0.001,
      phones: { '79160000001': 'answers', '79160000002': 'busy' },
    });
    const receiver = await startReceiver();
    const answered = await startCall('79160000001', receiver.url);
    const busy = await startCall('79160000002', receiver.url);
    await sim.state.settled();

    const byId = await history({ call_session_history_id: `${busy}`, with_calls: 'true' });
    expect(byId.body).toMatchObject({ total_count: 1, count: 1, timezone: 'Etc/GMT' });
    const [session] = byId.body.result as Record<string, unknown>[];
    expect(session).toMatchObject({
      call_session_history_id: busy,
      finish_reason: 'Normal termination',
      custom_data: JSON.stringify({ number: '79160000002', url: receiver.url }),
      start_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
      calls: [
        {
          remote_number: '79160000002',
          local_number: '74950000000',
          successful: false,
          end_reason: '486 Busy Here',
          incoming: false,
        },
      ],
    });

    const byData = await history({
      call_session_history_custom_data: JSON.stringify({ number: '79160000001', url: receiver.url }),
    });
    const found = byData.body.result as Record<string, unknown>[];
    expect(found.map((s) => s.call_session_history_id)).toEqual([answered]);
    expect(found[0]).not.toHaveProperty('calls');

    const both = await history({
      call_session_history_id: `${answered};${busy}`,
      desc_order: 'true',
      count: 1,
    });
    expect(both.body).toMatchObject({ total_count: 2, count: 1 });
    expect((both.body.result as { call_session_history_id: number }[])[0]?.call_session_history_id).toBe(
      busy,
    );
  });

  it('shows a session only once it has ended and the history lag has passed', async () => {
    // The simulator's clock runs ahead when told to, instead of the test sleeping through the lag:
    // a ten-minute lag no loaded machine spends between two requests, crossed by moving the clock.
    const LAG_MS = 10 * 60_000;
    let ahead = 0;
    sim = await startVoximplantSim({
      scenarioSource: TEST_SCENARIO,
      timeScale: 0.001,
      historyLagMs: LAG_MS,
      now: () => Date.now() + ahead,
    });
    // Valid for an hour (the most the API allows), so it outlives the clock's jump.
    const lasting = () => serviceToken(sim.serviceKey, { exp: Math.floor(Date.now() / 1000) + 3_600 });
    const sessions = async (id: number) =>
      (await callApi(sim.url, 'GetCallHistory', { call_session_history_id: id }, lasting())).body.total_count;
    const receiver = await startReceiver();
    const id = await startCall('79160000001', receiver.url);
    expect(await sessions(id)).toBe(0);
    await sim.state.settled();
    expect(await sessions(id)).toBe(0);
    ahead = LAG_MS + 1_000;
    expect(await sessions(id)).toBe(1);
  });

  it('filters by date and refuses a date in the wrong format with error 111', async () => {
    sim = await startVoximplantSim({ scenarioSource: TEST_SCENARIO, timeScale: 0.001 });
    const receiver = await startReceiver();
    await startCall('79160000001', receiver.url);
    await sim.state.settled();
    const hourAgo = apiDate(Date.now() - 3_600_000);
    expect((await history({ from_date: hourAgo })).body.total_count).toBe(1);
    expect((await history({ to_date: hourAgo })).body.total_count).toBe(0);
    expect((await history({ from_date: '2026-11-25T10:00:00Z' })).body).toEqual({
      error: { code: 111, msg: 'Invalid date format' },
    });
  });
});

describe('Voximplant simulator: faults and the media-session URL', () => {
  it('injects an API error as HTTP 200, a 429, or an outage', async () => {
    sim = await startVoximplantSim({ scenarioSource: TEST_SCENARIO, timeScale: 0.001 });
    sim.faults.failNext(1, voximplantApiFault(2, 'Internal error'));
    sim.faults.failNext(1, VOXIMPLANT_TOO_MANY_REQUESTS);
    expect(await history({})).toEqual({ status: 200, body: { error: { code: 2, msg: 'Internal error' } } });
    expect(await history({})).toEqual({
      status: 429,
      body: { error: { code: 429, msg: 'Too Many Requests' } },
    });
    sim.faults.outage();
    await expect(history({})).rejects.toThrow();
    sim.faults.outage(false);
    expect((await history({})).status).toBe(200);
  });

  it('delivers a POST to the media-session URL to the running scenario, and 404s a wrong token', async () => {
    sim = await startVoximplantSim({
      scenarioSource: TEST_SCENARIO,
      timeScale: 0.001,
      // Slow enough that the message arrives while the phone is still ringing.
      phones: { '79160000003': { answer: 'human', ringMs: 3_600_000 } },
    });
    const receiver = await startReceiver();
    const answer = await callApi(
      sim.url,
      'StartScenarios',
      {
        rule_id: sim.ruleId,
        script_custom_data: JSON.stringify({ number: '79160000003', url: receiver.url }),
      },
      serviceToken(sim.serviceKey),
    );
    const accessUrl = answer.body.media_session_access_url as string;
    expect((await fetch(accessUrl.replace(/[0-9a-f]+$/, 'bad'), { method: 'POST', body: '{}' })).status).toBe(
      404,
    );
    expect((await fetch(accessUrl, { method: 'POST', body: '{"cancel":true}' })).status).toBe(200);
    await sim.state.settled();
    expect(receiver.reports[0]?.seen).toEqual(['Ringing', 'HttpRequest:{"cancel":true}', 'Failed']);
    expect(receiver.reports[0]?.code).toBe(487);
    expect((await fetch(accessUrl, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('shows sessions, calls and scenario requests on the state page', async () => {
    sim = await startVoximplantSim({ scenarioSource: TEST_SCENARIO, timeScale: 0.001 });
    const receiver = await startReceiver();
    await startCall('79160000009', receiver.url);
    await sim.state.settled();
    const page = await (await fetch(`${sim.url}/`)).text();
    expect(page).toContain('Voximplant simulator');
    expect(page).toContain('79160000009');
    expect(page).toContain('Normal termination');
    expect(page).toContain(receiver.url);
  });
});
