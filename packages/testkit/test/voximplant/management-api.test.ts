import { afterEach, describe, expect, it } from 'vitest';
import {
  generateServiceKey,
  startVoximplantSim,
  VOXIMPLANT_INSUFFICIENT_FUNDS,
  VOXIMPLANT_TEST_API_KEY,
  VOXIMPLANT_TEST_RULE_ID,
  type VoximplantSim,
} from '../../src/index.js';
import { callApi, serviceToken, startReceiver, TEST_SCENARIO } from './helpers.js';

let sim: VoximplantSim;
afterEach(() => sim?.close());

async function start(options: Partial<Parameters<typeof startVoximplantSim>[0]> = {}) {
  sim = await startVoximplantSim({ scenarioSource: TEST_SCENARIO, timeScale: 0.001, ...options });
  return sim;
}

describe('Voximplant simulator: auth', () => {
  it.each([
    ['no credentials', () => undefined],
    ['an unknown kid', () => serviceToken(sim.serviceKey, {}, 'other-key')],
    ['another account as iss', () => serviceToken(sim.serviceKey, { iss: 1 })],
    ['an expired token', () => serviceToken(sim.serviceKey, { iat: 1_700_000_000, exp: 1_700_000_064 })],
    [
      'a token living over an hour',
      () => serviceToken(sim.serviceKey, { exp: Math.floor(Date.now() / 1000) + 7200 }),
    ],
    [
      'a token signed with another key',
      () => serviceToken({ ...generateServiceKey(), keyId: sim.serviceKey.keyId }),
    ],
    ['a token that is not a JWT', () => 'not.a.jwt'],
  ])('refuses %s with error 100 in an HTTP 200', async (_label, token) => {
    await start();
    const answer = await callApi(sim.url, 'StartScenarios', { rule_id: sim.ruleId }, token());
    expect(answer).toEqual({ status: 200, body: { error: { code: 100, msg: 'Authorization failed' } } });
    expect(sim.state.sessions).toEqual([]);
  });

  it('accepts the legacy account_id + api_key parameters', async () => {
    await start();
    const answer = await callApi(sim.url, 'GetCallHistory', {
      account_id: sim.accountId,
      api_key: VOXIMPLANT_TEST_API_KEY,
    });
    expect(answer.body).toMatchObject({ result: [], total_count: 0 });
    expect(sim.state.apiRequests[0]?.params).not.toHaveProperty('api_key');
  });
});

describe('Voximplant simulator: StartScenarios', () => {
  it('answers with the real fields and runs the scenario with the custom data', async () => {
    await start({ phones: { '79160000001': 'answers' } });
    const receiver = await startReceiver();
    const customData = JSON.stringify({ number: '79160000001', url: receiver.url });
    const answer = await callApi(
      sim.url,
      'StartScenarios',
      { rule_id: VOXIMPLANT_TEST_RULE_ID, script_custom_data: customData },
      serviceToken(sim.serviceKey),
    );
    const id = answer.body.call_session_history_id as number;
    expect(answer.body).toEqual({
      result: 1,
      media_session_access_url: expect.stringMatching(
        new RegExp(`^http://127\\.0\\.0\\.1:\\d+/request/${id}/[0-9a-f]+$`),
      ),
      media_session_access_secure_url: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+\/request\//),
      call_session_history_id: expect.any(Number),
    });
    await sim.state.settled();
    expect(receiver.reports).toEqual([
      {
        session: id,
        seen: ['Ringing', 'Connected', 'AMD:HUMAN', 'PlaybackFinished', 'Disconnected'],
        duration: expect.any(Number),
      },
    ]);
    expect(sim.state.calls[0]).toMatchObject({
      number: '79160000001',
      successful: true,
      played: ['https://shop.example/a.mp3'],
    });
    expect(sim.state.session(id)?.record.finishReason).toBe('Normal termination');
  });

  it.each([
    [{}, 101],
    [{ rule_id: 'abc' }, 101],
    [{ rule_id: 999 }, 101],
  ])('refuses %o with error %i', async (params, code) => {
    await start();
    const answer = await callApi(sim.url, 'StartScenarios', params, serviceToken(sim.serviceKey));
    expect(answer.status).toBe(200);
    expect((answer.body.error as { code: number }).code).toBe(code);
  });

  it('takes the method from `cmd` on /platform_api, form-urlencoded or multipart', async () => {
    await start();
    const token = serviceToken(sim.serviceKey);
    const form = new FormData();
    form.set('cmd', 'GetCallHistory');
    const multipart = await fetch(`${sim.url}/platform_api`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(await multipart.json()).toMatchObject({ result: [], count: 0, timezone: 'Etc/GMT' });
    const missing = await fetch(`${sim.url}/platform_api`, { method: 'POST', body: new URLSearchParams() });
    expect(await missing.json()).toEqual({ error: { code: 102, msg: "The 'cmd' parameter is missing" } });
  });

  it('with no money (start-refused) answers the insufficient-funds error and starts nothing', async () => {
    await start({ funds: 'start-refused' });
    const params = { rule_id: VOXIMPLANT_TEST_RULE_ID, script_custom_data: '{}' };
    const answer = await callApi(sim.url, 'StartScenarios', params, serviceToken(sim.serviceKey));
    expect(answer).toEqual({ status: 200, body: VOXIMPLANT_INSUFFICIENT_FUNDS });
    expect(sim.state.sessions).toEqual([]);
    expect(sim.state.apiRequests.at(-1)?.answer).toBe(VOXIMPLANT_INSUFFICIENT_FUNDS.error.code);
    // Call history still answers: only paid work is refused.
    const history = await callApi(sim.url, 'GetCallHistory', {}, serviceToken(sim.serviceKey));
    expect(history.body).toMatchObject({ result: [] });
    sim.setFunds('enough');
    const again = await callApi(sim.url, 'StartScenarios', params, serviceToken(sim.serviceKey));
    expect(again.body).toMatchObject({ result: 1 });
  });

  it('with no money (calls-fail) starts the session, and every call fails 402 "Insufficient funds"', async () => {
    await start({ phones: { '79160000001': 'answers' } });
    sim.setFunds('calls-fail');
    const receiver = await startReceiver();
    const customData = JSON.stringify({ number: '79160000001', url: receiver.url });
    const params = { rule_id: VOXIMPLANT_TEST_RULE_ID, script_custom_data: customData };
    await callApi(sim.url, 'StartScenarios', params, serviceToken(sim.serviceKey));
    await sim.state.settled();
    expect(receiver.reports[0]).toMatchObject({
      seen: ['Ringing', 'Failed'],
      code: 402,
      reason: 'Insufficient funds',
    });
    expect(sim.state.calls[0]).toMatchObject({ successful: false, endReason: '402 Insufficient funds' });
  });

  it('answers an unknown method with error 103', async () => {
    await start();
    const answer = await callApi(sim.url, 'MakeCoffee', {}, serviceToken(sim.serviceKey));
    expect(answer.body).toEqual({ error: { code: 103, msg: 'Unknown command' } });
  });
});
