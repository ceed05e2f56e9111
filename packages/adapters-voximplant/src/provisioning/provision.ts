import { parseSettings } from '@prozvon/sdk';
import { ManagementClient } from '../management/client.js';
import {
  AddApplicationAnswer,
  AddRuleAnswer,
  AddScenarioAnswer,
  ApplicationsAnswer,
  Done,
  type RuleInfo,
  RulesAnswer,
  type ScenarioInfo,
  ScenariosAnswer,
} from './answers.js';
import { ProvisionOptions, type ProvisionVoximplantOptions, type VoximplantProvisioning } from './options.js';
import { findIn, PAGE, stepsOn } from './steps.js';

/**
 * Sets a Voximplant account up for Prozvon through the management API, so nobody uploads a file
 * by hand: finds or creates the application, uploads the scenario or brings its text up to date
 * (an app upgrade that ships a new scenario), finds or creates the rule and binds the scenario to
 * it. Idempotent: a run on an account already set up as asked only reads (`changed` all false).
 * Each request ends at its timeout or at `signal`; a failure is a PortError naming the step.
 *
 * It never deletes: other scenarios bound to the rule stay bound (they run with ours, in order).
 */
export async function provisionVoximplant(
  input: ProvisionVoximplantOptions,
): Promise<VoximplantProvisioning> {
  const options = parseSettings(
    ProvisionOptions,
    input,
    '@prozvon/adapters-voximplant (provisionVoximplant)',
  );
  const step = stepsOn(ManagementClient.fromSettings(options), options.signal);

  // The application. Its full name is `<short>.<account>[.<node>].voximplant.com`, and the name
  // filter matches a part of it, so ours is the one whose first label is the short name.
  const short = options.applicationName;
  const foundApp = await findIn(
    (offset) =>
      step(
        'finding the application',
        'GetApplications',
        { application_name: short, count: PAGE, offset },
        ApplicationsAnswer,
      ),
    (app) => app.application_name === short || app.application_name.startsWith(`${short}.`),
  );
  const application =
    foundApp ??
    (await step(
      'creating the application',
      'AddApplication',
      { application_name: short },
      AddApplicationAnswer,
    ));
  const applicationId = application.application_id;

  // The scenario, by its exact name within the application, and its text.
  const { scenarioName, scenarioSource } = options;
  const listed = await findIn(
    (offset) =>
      step(
        'finding the scenario',
        'GetScenarios',
        {
          application_id: applicationId,
          scenario_name: scenarioName,
          with_script: true,
          count: PAGE,
          offset,
        },
        ScenariosAnswer,
      ),
    (scenario) => scenario.scenario_name === scenarioName,
  );
  let scenarioId: number;
  let scenarioChanged = false;
  if (listed === undefined) {
    const added = await step(
      'uploading the scenario',
      'AddScenario',
      { application_id: applicationId, scenario_name: scenarioName, scenario_script: scenarioSource },
      AddScenarioAnswer,
    );
    scenarioId = added.scenario_id;
    scenarioChanged = true;
  } else {
    scenarioId = listed.scenario_id;
    if ((await scenarioText(listed)) !== scenarioSource) {
      await step(
        'updating the scenario',
        'SetScenarioInfo',
        { scenario_id: scenarioId, scenario_script: scenarioSource },
        Done,
      );
      scenarioChanged = true;
    }
  }

  // The rule, by its exact name within the application, with our pattern and our scenario bound.
  const { ruleName, rulePattern } = options;
  const rule = await findIn(
    (offset) =>
      step(
        'finding the rule',
        'GetRules',
        { application_id: applicationId, rule_name: ruleName, with_scenarios: true, count: PAGE, offset },
        RulesAnswer,
      ),
    (found: RuleInfo) => found.rule_name === ruleName,
  );
  let ruleId: number;
  let ruleChanged = false;
  if (rule === undefined) {
    const added = await step(
      'creating the rule',
      'AddRule',
      {
        application_id: applicationId,
        rule_name: ruleName,
        rule_pattern: rulePattern,
        scenario_id: scenarioId,
      },
      AddRuleAnswer,
    );
    ruleId = added.rule_id;
    ruleChanged = true;
  } else {
    ruleId = rule.rule_id;
    if (rule.rule_pattern !== rulePattern) {
      await step('updating the rule', 'SetRuleInfo', { rule_id: ruleId, rule_pattern: rulePattern }, Done);
      ruleChanged = true;
    }
    if (!(rule.scenarios ?? []).some((s) => s.scenario_id === scenarioId)) {
      await step(
        'binding the scenario to the rule',
        'BindScenario',
        { application_id: applicationId, rule_id: ruleId, scenario_id: scenarioId, bind: true },
        Done,
      );
      ruleChanged = true;
    }
  }

  return {
    applicationId,
    applicationName: application.application_name,
    scenarioId,
    ruleId,
    changed: { application: foundApp === undefined, scenario: scenarioChanged, rule: ruleChanged },
  };

  /**
   * The stored text. The docs say `with_script` needs a `scenario_id`, so a search by name may
   * come back without it; then the scenario is read again by its id (as voxengine-ci does).
   */
  async function scenarioText(scenario: ScenarioInfo): Promise<string | undefined> {
    if (scenario.scenario_script !== undefined) return scenario.scenario_script;
    const byId = await step(
      'reading the scenario',
      'GetScenarios',
      { scenario_id: scenario.scenario_id, with_script: true },
      ScenariosAnswer,
    );
    return byId.result.find((s) => s.scenario_id === scenario.scenario_id)?.scenario_script;
  }
}
