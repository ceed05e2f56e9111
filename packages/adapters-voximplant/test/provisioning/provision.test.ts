import { AuthError, PermanentError, SettingsError, TransientError } from '@prozvon/sdk';
import { delay, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { provisionVoximplant } from '../../src/index.js';
import { API_BASE, fakeManagementApi, type SentApiRequest } from '../helpers/fake-api.js';
import { testServiceAccount } from '../helpers/service-account.js';

const api = fakeManagementApi();
const account = testServiceAccount();
const SCRIPT = 'VoxEngine.addEventListener(AppEvents.Started, () => VoxEngine.terminate());';
const OLD_SCRIPT = `// 0.9\n${SCRIPT}`;

const inputs = {
  accountId: account.accountId,
  keyId: account.keyId,
  privateKey: account.privateKey,
  apiBase: API_BASE,
  scenarioName: 'prozvon-callback',
  scenarioSource: SCRIPT,
  ruleName: 'prozvon-outbound',
};

const APP = {
  application_id: 501,
  application_name: 'prozvon.shop.voximplant.com',
  modified: '2026-11-01 10:00:00',
  secure_record_storage: false,
};
const SCENARIO = {
  scenario_id: 601,
  scenario_name: 'prozvon-callback',
  modified: '2026-11-01 10:00:00',
  parent: false,
};
const RULE = {
  rule_id: 701,
  application_id: 501,
  rule_name: 'prozvon-outbound',
  rule_pattern: '.*',
  video_conference: false,
  modified: '2026-11-01 10:00:00',
};

/**
 * What a real account answers, in the wire format of voximplant.com/docs/references/httpapi: the
 * Get* searches match a part of the name, and GetScenarios gives the text only for a scenario_id
 * with with_script=true. `overrides` answers a method otherwise.
 */
function account_(
  state: { apps: object[]; scenarios: (typeof SCENARIO & { scenario_script: string })[]; rules: object[] },
  overrides: Record<string, (r: SentApiRequest) => unknown> = {},
) {
  api.answer((r) => {
    const override = overrides[r.method];
    if (override) return override(r);
    const list = (result: object[]) => ({ result, total_count: result.length, count: result.length });
    switch (r.method) {
      case 'GetApplications':
        return list(state.apps);
      case 'AddApplication':
        return {
          result: 1,
          application_id: 501,
          application_name: 'prozvon.shop.voximplant.com',
          secure_record_storage: false,
        };
      case 'GetScenarios': {
        const byId = r.params.get('scenario_id');
        const found = state.scenarios.filter((s) => byId === null || String(s.scenario_id) === byId);
        return list(
          found.map(({ scenario_script, ...info }) =>
            byId !== null && r.params.get('with_script') === 'true' ? { ...info, scenario_script } : info,
          ),
        );
      }
      case 'AddScenario':
        return { result: 1, scenario_id: 601 };
      case 'GetRules':
        return list(state.rules);
      case 'AddRule':
        return { result: 1, rule_id: 701 };
      default:
        return { result: 1 };
    }
  });
}

const methods = () => api.sent.map((r) => r.method);
const params = (method: string, at = 0) =>
  Object.fromEntries(api.sent.filter((r) => r.method === method)[at]?.params ?? []);
const WRITES = ['AddApplication', 'AddScenario', 'SetScenarioInfo', 'AddRule', 'SetRuleInfo', 'BindScenario'];

async function thrown(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => expect.unreachable('provisioning should have failed'),
    (error: unknown) => error as Error,
  );
}

describe('provisionVoximplant', () => {
  it('on a fresh account creates the application, uploads the scenario and binds it to a new rule', async () => {
    account_({ apps: [], scenarios: [], rules: [] });
    const result = await provisionVoximplant(inputs);
    expect(result).toEqual({
      applicationId: 501,
      applicationName: 'prozvon.shop.voximplant.com',
      scenarioId: 601,
      ruleId: 701,
      changed: { application: true, scenario: true, rule: true },
    });
    expect(methods()).toEqual([
      'GetApplications',
      'AddApplication',
      'GetScenarios',
      'AddScenario',
      'GetRules',
      'AddRule',
    ]);
    for (const request of api.sent) {
      expect(request.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      expect(request.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    }
    expect(params('GetApplications')).toEqual({ application_name: 'prozvon', count: '100', offset: '0' });
    expect(params('AddApplication')).toEqual({ application_name: 'prozvon' });
    expect(params('AddScenario')).toEqual({
      application_id: '501',
      scenario_name: 'prozvon-callback',
      scenario_script: SCRIPT,
    });
    expect(params('AddRule')).toEqual({
      application_id: '501',
      rule_name: 'prozvon-outbound',
      rule_pattern: '.*',
      scenario_id: '601',
    });
  });

  it('on an account already set up only reads: changed all false, no write request', async () => {
    account_({
      apps: [APP],
      scenarios: [{ ...SCENARIO, scenario_script: SCRIPT }],
      rules: [{ ...RULE, scenarios: [SCENARIO] }],
    });
    const result = await provisionVoximplant(inputs);
    expect(result).toEqual({
      applicationId: 501,
      applicationName: 'prozvon.shop.voximplant.com',
      scenarioId: 601,
      ruleId: 701,
      changed: { application: false, scenario: false, rule: false },
    });
    // The search by name comes back without the text, so the scenario is read again by its id.
    expect(methods()).toEqual(['GetApplications', 'GetScenarios', 'GetScenarios', 'GetRules']);
    expect(params('GetScenarios', 1)).toEqual({ scenario_id: '601', with_script: 'true' });
    expect(methods().filter((m) => WRITES.includes(m))).toEqual([]);
  });

  it('after an upgrade with a new scenario text updates it in place (SetScenarioInfo), nothing else', async () => {
    account_({
      apps: [APP],
      scenarios: [{ ...SCENARIO, scenario_script: OLD_SCRIPT }],
      rules: [{ ...RULE, scenarios: [SCENARIO] }],
    });
    const result = await provisionVoximplant(inputs);
    expect(result.changed).toEqual({ application: false, scenario: true, rule: false });
    expect(methods().filter((m) => WRITES.includes(m))).toEqual(['SetScenarioInfo']);
    expect(params('SetScenarioInfo')).toEqual({ scenario_id: '601', scenario_script: SCRIPT });
  });

  it('puts an existing rule right: its pattern (SetRuleInfo) and our scenario bound (BindScenario)', async () => {
    account_({
      apps: [APP],
      scenarios: [{ ...SCENARIO, scenario_script: SCRIPT }],
      rules: [{ ...RULE, rule_pattern: '7.*', scenarios: [] }],
    });
    const result = await provisionVoximplant(inputs);
    expect(result.changed).toEqual({ application: false, scenario: false, rule: true });
    expect(params('SetRuleInfo')).toEqual({ rule_id: '701', rule_pattern: '.*' });
    expect(params('BindScenario')).toEqual({
      application_id: '501',
      rule_id: '701',
      scenario_id: '601',
      bind: 'true',
    });
  });

  it('takes only its own application and scenario out of searches that match parts of names', async () => {
    account_(
      { apps: [], scenarios: [], rules: [] },
      {
        GetApplications: () => ({
          result: [
            { ...APP, application_id: 1, application_name: 'prozvon-old.shop.voximplant.com' },
            { ...APP, application_id: 2, application_name: 'prozvon.shop.n4.voximplant.com' },
          ],
          total_count: 2,
        }),
        GetScenarios: (r) =>
          r.params.has('scenario_id')
            ? { result: [{ ...SCENARIO, scenario_script: SCRIPT }], total_count: 1 }
            : {
                result: [{ ...SCENARIO, scenario_id: 9, scenario_name: 'prozvon-callback-v0' }, SCENARIO],
                total_count: 2,
              },
        GetRules: () => ({ result: [{ ...RULE, application_id: 2, scenarios: [SCENARIO] }], total_count: 1 }),
      },
    );
    const result = await provisionVoximplant(inputs);
    expect(result).toMatchObject({
      applicationId: 2,
      applicationName: 'prozvon.shop.n4.voximplant.com',
      scenarioId: 601,
    });
    expect(result.changed).toEqual({ application: false, scenario: false, rule: false });
  });

  it('a refused key (error 100) is an AuthError that says the service account key was refused', async () => {
    api.answer(() => ({ error: { code: 100, msg: 'Authorization failed' } }));
    const error = await thrown(provisionVoximplant(inputs));
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toMatch(
      /^Voximplant setup, finding the application \(GetApplications\): Voximplant refused the service account key/,
    );
    expect(error.message).toContain('100 Authorization failed');
    expect(methods()).toEqual(['GetApplications']);
  });

  it('a step the API refuses stops there, named, with the API error kept (130 script too long → permanent)', async () => {
    account_(
      { apps: [APP], scenarios: [], rules: [] },
      { AddScenario: () => ({ error: { code: 130, msg: 'Script text is too long' } }) },
    );
    const error = await thrown(provisionVoximplant(inputs));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toBe(
      'Voximplant setup, uploading the scenario (AddScenario): Voximplant AddScenario refused: 130 Script text is too long',
    );
    expect(methods()).toEqual(['GetApplications', 'GetScenarios', 'AddScenario']);
  });

  it('an outage at a step is a TransientError naming it; running again later finishes the job', async () => {
    account_(
      { apps: [APP], scenarios: [{ ...SCENARIO, scenario_script: SCRIPT }], rules: [] },
      {
        AddRule: () => new HttpResponse('<html>502 Bad Gateway</html>', { status: 502 }),
      },
    );
    const error = await thrown(provisionVoximplant(inputs));
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toBe(
      'Voximplant setup, creating the rule (AddRule): Voximplant AddRule answered HTTP 502',
    );
  });

  it('an answer in another shape is a TransientError naming the step', async () => {
    account_({ apps: [], scenarios: [], rules: [] }, { AddApplication: () => ({ result: 1 }) });
    const error = await thrown(provisionVoximplant(inputs));
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toBe(
      'Voximplant setup, creating the application (AddApplication): the answer is not in the documented shape',
    );
  });

  it('every request ends at the caller’s deadline', async () => {
    const deadline = new AbortController();
    account_(
      { apps: [APP], scenarios: [], rules: [] },
      {
        GetScenarios: async () => {
          deadline.abort(new Error('deadline'));
          await delay('infinite');
        },
      },
    );
    const error = await thrown(provisionVoximplant({ ...inputs, signal: deadline.signal }));
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toMatch(
      /^Voximplant setup, finding the scenario \(GetScenarios\): .*deadline passed/,
    );
  });

  it('refuses bad settings before any request, naming each field and never a value', async () => {
    const error = await thrown(
      provisionVoximplant({
        ...inputs,
        applicationName: 'Prozvon!',
        scenarioName: 'x'.repeat(30),
        privateKey: 'secret',
      }),
    );
    expect(error).toBeInstanceOf(SettingsError);
    expect(error.message).toContain('applicationName');
    expect(error.message).toContain('scenarioName');
    expect(error.message).toContain('privateKey');
    expect(error.message).not.toContain('secret');
    expect(api.sent).toEqual([]);
  });
});
