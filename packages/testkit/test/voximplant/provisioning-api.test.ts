import { afterEach, describe, expect, it } from 'vitest';
import { startVoximplantSim, type VoximplantSim } from '../../src/index.js';
import { callApi, serviceToken, startReceiver, TEST_SCENARIO } from './helpers.js';

let sim: VoximplantSim;
afterEach(() => sim?.close());

/** The same scenario dialling from another caller id: tells which text a session ran. */
const UPGRADED_SCENARIO = TEST_SCENARIO.replace("'74950000000'", "'74951111111'");

async function start(options: Partial<Parameters<typeof startVoximplantSim>[0]> = {}) {
  sim = await startVoximplantSim({ timeScale: 0.001, ...options });
  return sim;
}

function api(method: string, params: Record<string, string | number> = {}) {
  return callApi(sim.url, method, params, serviceToken(sim.serviceKey)).then((answer) => answer.body);
}

async function provisioned(script = TEST_SCENARIO) {
  const app = await api('AddApplication', { application_name: 'prozvon' });
  const scenario = await api('AddScenario', {
    application_id: app.application_id as number,
    scenario_name: 'prozvon-callback',
    scenario_script: script,
  });
  const rule = await api('AddRule', {
    application_id: app.application_id as number,
    rule_name: 'prozvon-outbound',
    rule_pattern: '.*',
    scenario_id: scenario.scenario_id as number,
  });
  return {
    applicationId: app.application_id as number,
    scenarioId: scenario.scenario_id as number,
    ruleId: rule.rule_id as number,
  };
}

async function dial(ruleId: number) {
  const receiver = await startReceiver();
  const answer = await api('StartScenarios', {
    rule_id: ruleId,
    script_custom_data: JSON.stringify({ number: '79160000001', url: receiver.url }),
  });
  await sim.state.settled();
  return answer;
}

describe('Voximplant simulator: applications', () => {
  it('AddApplication answers the full name <name>.<account>.voximplant.com; GetApplications finds it by a part', async () => {
    await start({ accountName: 'myshop' });
    expect(await api('AddApplication', { application_name: 'prozvon' })).toEqual({
      result: 1,
      application_id: expect.any(Number),
      application_name: 'prozvon.myshop.voximplant.com',
      secure_record_storage: false,
    });
    await api('AddApplication', { application_name: 'other' });
    expect(await api('GetApplications', { application_name: 'prozv' })).toEqual({
      result: [
        {
          application_id: expect.any(Number),
          application_name: 'prozvon.myshop.voximplant.com',
          modified: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
          secure_record_storage: false,
        },
      ],
      total_count: 1,
      count: 1,
    });
  });

  it.each([
    ['a name taken', 'prozvon', 129],
    ['a name with capitals', 'Prozvon', 107],
    ['a one-letter name', 'p', 107],
  ])('refuses %s with its code', async (_label, name, code) => {
    await start();
    await api('AddApplication', { application_name: 'prozvon' });
    expect(await api('AddApplication', { application_name: name })).toMatchObject({ error: { code } });
  });

  it('refuses a provisioning call without valid credentials (error 100)', async () => {
    await start();
    const answer = await callApi(sim.url, 'AddApplication', { application_name: 'prozvon' });
    expect(answer.body).toEqual({ error: { code: 100, msg: 'Authorization failed' } });
    expect(sim.platform.applications).toEqual([]);
  });
});

describe('Voximplant simulator: scenarios', () => {
  it('GetScenarios gives the text only with with_script and a scenario_id, as documented', async () => {
    await start();
    const { applicationId, scenarioId } = await provisioned();
    const byName = await api('GetScenarios', {
      application_id: applicationId,
      scenario_name: 'prozvon-callback',
      with_script: 'true',
    });
    expect(byName).toMatchObject({
      result: [{ scenario_id: scenarioId, scenario_name: 'prozvon-callback', parent: false }],
      total_count: 1,
      application_id: applicationId,
      application_name: 'prozvon.testaccount.voximplant.com',
    });
    expect((byName.result as object[])[0]).not.toHaveProperty('scenario_script');
    const byId = await api('GetScenarios', { scenario_id: scenarioId, with_script: 'true' });
    expect(byId).toMatchObject({ result: [{ scenario_id: scenarioId, scenario_script: TEST_SCENARIO }] });
  });

  it('AddScenario refuses a taken name (133) unless rewrite=true, which keeps the id', async () => {
    await start();
    const { applicationId, scenarioId } = await provisioned();
    const again = { application_id: applicationId, scenario_name: 'prozvon-callback', scenario_script: 'x' };
    expect(await api('AddScenario', again)).toMatchObject({ error: { code: 133 } });
    expect(await api('AddScenario', { ...again, rewrite: 'true' })).toEqual({
      result: 1,
      scenario_id: scenarioId,
    });
    expect(sim.platform.scenario(scenarioId)?.script).toBe('x');
  });

  it.each([
    ['a name of 30 characters', { scenario_name: 'x'.repeat(30) }, 168],
    ['a text of 128 KB', { scenario_script: 'x'.repeat(128 * 1024) }, 130],
  ])('AddScenario refuses %s', async (_label, params, code) => {
    await start();
    const answer = await api('AddScenario', {
      scenario_name: 'prozvon-callback',
      scenario_script: '',
      ...params,
    });
    expect(answer).toMatchObject({ error: { code } });
  });

  it('SetScenarioInfo replaces the text; an unknown id is 132', async () => {
    await start();
    const { scenarioId } = await provisioned();
    expect(
      await api('SetScenarioInfo', { scenario_id: scenarioId, scenario_script: UPGRADED_SCENARIO }),
    ).toEqual({
      result: 1,
    });
    expect(sim.platform.scenario(scenarioId)?.script).toBe(UPGRADED_SCENARIO);
    expect(await api('SetScenarioInfo', { scenario_id: 1, scenario_script: 'x' })).toMatchObject({
      error: { code: 132 },
    });
  });
});

describe('Voximplant simulator: rules', () => {
  it('AddRule binds the scenarios; GetRules lists them with with_scenarios', async () => {
    await start();
    const { applicationId, scenarioId, ruleId } = await provisioned();
    expect(
      await api('GetRules', { application_id: applicationId, rule_name: 'prozvon', with_scenarios: 'true' }),
    ).toEqual({
      result: [
        {
          rule_id: ruleId,
          application_id: applicationId,
          rule_name: 'prozvon-outbound',
          rule_pattern: '.*',
          video_conference: false,
          modified: expect.any(String),
          scenarios: [
            {
              scenario_id: scenarioId,
              scenario_name: 'prozvon-callback',
              modified: expect.any(String),
              parent: false,
            },
          ],
        },
      ],
      total_count: 1,
      count: 1,
    });
  });

  it.each([
    ['a taken name', { rule_name: 'prozvon-outbound' }, 175],
    ['a pattern that is no regex', { rule_name: 'new', rule_pattern: '(' }, 148],
    ['an unknown scenario', { rule_name: 'new', scenario_id: 1 }, 132],
    ['an unknown application', { rule_name: 'new', application_id: 1 }, 116],
  ])('AddRule refuses %s', async (_label, params, code) => {
    await start();
    const ids = await provisioned();
    const answer = await api('AddRule', {
      application_id: ids.applicationId,
      rule_pattern: '.*',
      scenario_id: ids.scenarioId,
      ...params,
    });
    expect(answer).toMatchObject({ error: { code } });
  });

  it('SetRuleInfo changes the pattern; BindScenario binds and unbinds', async () => {
    await start();
    const { applicationId, scenarioId, ruleId } = await provisioned();
    expect(await api('SetRuleInfo', { rule_id: ruleId, rule_pattern: '7.*' })).toEqual({ result: 1 });
    expect(sim.platform.rule(ruleId)?.pattern).toBe('7.*');
    const unbind = { application_id: applicationId, rule_id: ruleId, scenario_id: scenarioId, bind: 'false' };
    expect(await api('BindScenario', unbind)).toEqual({ result: 1 });
    expect(sim.platform.rule(ruleId)?.scenarioIds).toEqual([]);
    expect(await api('BindScenario', { ...unbind, bind: 'true' })).toEqual({ result: 1 });
    expect(sim.platform.rule(ruleId)?.scenarioIds).toEqual([scenarioId]);
    expect(await api('SetRuleInfo', { rule_id: 1, rule_pattern: '.*' })).toMatchObject({
      error: { code: 147 },
    });
  });
});

describe('Voximplant simulator: StartScenarios runs what the rule has bound', () => {
  it('runs the uploaded scenario, and after SetScenarioInfo the new text', async () => {
    await start();
    const { ruleId, scenarioId } = await provisioned();
    await dial(ruleId);
    await api('SetScenarioInfo', { scenario_id: scenarioId, scenario_script: UPGRADED_SCENARIO });
    await dial(ruleId);
    expect(sim.state.calls.map((c) => c.callerId)).toEqual(['74950000000', '74951111111']);
    expect(sim.state.sessions.map((s) => [s.ruleId, s.applicationName])).toEqual([
      [ruleId, 'prozvon.testaccount.voximplant.com'],
      [ruleId, 'prozvon.testaccount.voximplant.com'],
    ]);
  });

  it('keeps running scenarioSource on the preset rule next to a provisioned one', async () => {
    await start({ scenarioSource: UPGRADED_SCENARIO });
    const { ruleId } = await provisioned(TEST_SCENARIO);
    await dial(sim.ruleId);
    await dial(ruleId);
    expect(sim.state.calls.map((c) => c.callerId)).toEqual(['74951111111', '74950000000']);
  });

  it('refuses a rule with no scenario bound and, without scenarioSource, the preset rule id', async () => {
    await start();
    const { applicationId, scenarioId, ruleId } = await provisioned();
    await api('BindScenario', {
      application_id: applicationId,
      rule_id: ruleId,
      scenario_id: scenarioId,
      bind: 'false',
    });
    expect(await api('StartScenarios', { rule_id: ruleId })).toMatchObject({ error: { code: 101 } });
    expect(await api('StartScenarios', { rule_id: sim.ruleId })).toMatchObject({ error: { code: 101 } });
    expect(sim.state.sessions).toEqual([]);
  });
});
