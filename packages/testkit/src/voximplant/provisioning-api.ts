import type { ApiError } from './api-errors.js';
import type { SimApplication, SimRule, SimScenario, VoximplantPlatform } from './platform-objects.js';
import {
  APPLICATION_NAME,
  applicationInfo,
  applicationOf,
  PROVISIONING_ERRORS as E,
  flag,
  integer,
  isApiError,
  list,
  MAX_RULE_NAME,
  MAX_SCENARIO_NAME,
  MAX_SCRIPT_BYTES,
  nameContains,
  page,
  ruleInfo,
  scenarioInfo,
  validPattern,
} from './provisioning-shapes.js';

type Handler = (platform: VoximplantPlatform, params: URLSearchParams) => object | ApiError;

/**
 * The provisioning methods: applications, scenarios, rules (parameters and answers as
 * voximplant.com/docs/references/httpapi and `@voximplant/apiclient-nodejs` Interfaces.ts name
 * them). Whatever they change, StartScenarios runs next: it runs its rule's bound scenarios.
 */
export const PROVISIONING_METHODS: Readonly<Record<string, Handler>> = {
  GetApplications: (platform, params) => {
    const id = integer(params.get('application_id'));
    const found = platform.applications.filter(
      (a) => (id === undefined || a.id === id) && nameContains(a.name, params.get('application_name')),
    );
    return listed(found.map(applicationInfo), params);
  },

  AddApplication: (platform, params) => {
    const name = params.get('application_name') ?? '';
    if (!APPLICATION_NAME.test(name)) return E.invalidApplicationName();
    if (platform.applicationNamed(name) !== undefined) return E.applicationNameNotUnique();
    const application = platform.addApplication(name, flag(params.get('secure_record_storage')));
    return {
      result: 1,
      application_id: application.id,
      application_name: application.name,
      secure_record_storage: application.secureRecordStorage,
    };
  },

  // "with_script: Whether to get the scenario text. You must specify the 'scenario_id' too!" — so
  // a search by name answers without texts, as the real API is documented to.
  GetScenarios: (platform, params) => {
    const application =
      params.has('application_id') || params.has('application_name')
        ? applicationOf(platform, params)
        : undefined;
    if (isApiError(application)) return application;
    const id = integer(params.get('scenario_id'));
    if (params.has('scenario_id') && id === undefined) return E.invalidScenarioId();
    const withScript = flag(params.get('with_script')) && id !== undefined;
    const found = platform.scenarios.filter(
      (s) =>
        (application === undefined || s.applicationId === application.id) &&
        (id === undefined || s.id === id) &&
        nameContains(s.name, params.get('scenario_name')),
    );
    const answer = listed(
      found.map((s) => scenarioInfo(s, withScript)),
      params,
    );
    if (isApiError(answer) || application === undefined) return answer;
    return { ...answer, application_id: application.id, application_name: application.name };
  },

  AddScenario: (platform, params) => {
    const name = params.get('scenario_name') ?? '';
    const script = params.get('scenario_script') ?? '';
    const checked = checkScenario(name, script);
    if (checked !== undefined) return checked;
    const application =
      params.has('application_id') || params.has('application_name') ? applicationOf(platform, params) : null; // the Shared folder
    if (isApiError(application)) return application;
    const applicationId = application?.id ?? null;
    const rule =
      params.has('rule_id') || params.has('rule_name') ? ruleOf(platform, params, application) : undefined;
    if (isApiError(rule)) return rule;
    const existing = platform.scenarios.find((s) => s.applicationId === applicationId && s.name === name);
    if (existing !== undefined && !flag(params.get('rewrite'))) return E.scenarioNameNotUnique();
    const scenario = existing ?? platform.addScenario(name, script, applicationId);
    if (existing !== undefined) {
      existing.script = script;
      platform.touch(existing);
    }
    if (rule !== undefined) bind(platform, rule, [scenario]);
    return { result: 1, scenario_id: scenario.id };
  },

  SetScenarioInfo: (platform, params) => {
    const id = integer(params.get('scenario_id'));
    const required = params.get('required_scenario_name');
    const scenario =
      id !== undefined ? platform.scenario(id) : platform.scenarios.find((s) => s.name === required);
    if (scenario === undefined) return E.invalidScenarioId();
    const name = params.get('scenario_name') ?? scenario.name;
    const script = params.get('scenario_script') ?? scenario.script;
    const checked = checkScenario(name, script);
    if (checked !== undefined) return checked;
    const clash = platform.scenarios.find(
      (s) => s !== scenario && s.applicationId === scenario.applicationId && s.name === name,
    );
    if (clash !== undefined) return E.scenarioNameNotUnique();
    scenario.name = name;
    scenario.script = script;
    platform.touch(scenario);
    return { result: 1 };
  },

  BindScenario: (platform, params) => {
    const application = applicationOf(platform, params);
    if (isApiError(application)) return application;
    const rule = ruleOf(platform, params, application);
    if (isApiError(rule)) return rule;
    const scenarios = scenariosOf(platform, params, application);
    if (isApiError(scenarios)) return scenarios;
    if (flag(params.get('bind'), true)) bind(platform, rule, scenarios);
    else {
      rule.scenarioIds = rule.scenarioIds.filter((id) => !scenarios.some((s) => s.id === id));
      platform.touch(rule);
    }
    return { result: 1 };
  },

  GetRules: (platform, params) => {
    const application = applicationOf(platform, params);
    if (isApiError(application)) return application;
    const id = integer(params.get('rule_id'));
    const template = params.get('template');
    const found = platform.rules.filter(
      (r) =>
        r.applicationId === application.id &&
        (id === undefined || r.id === id) &&
        nameContains(r.name, params.get('rule_name')) &&
        (template === null || new RegExp(`^(?:${r.pattern})$`).test(template)),
    );
    const withScenarios = flag(params.get('with_scenarios'));
    return listed(
      found.map((r) => ruleInfo(platform, r, withScenarios)),
      params,
    );
  },

  AddRule: (platform, params) => {
    const application = applicationOf(platform, params);
    if (isApiError(application)) return application;
    const name = params.get('rule_name') ?? '';
    if (name === '' || name.length > MAX_RULE_NAME) return E.invalidRuleName();
    if (platform.rules.some((r) => r.applicationId === application.id && r.name === name))
      return E.ruleNameNotUnique();
    const pattern = params.get('rule_pattern');
    if (pattern === null || !validPattern(pattern)) return E.invalidRulePattern();
    const exclude = params.get('rule_pattern_exclude') ?? undefined;
    if (exclude !== undefined && !validPattern(exclude)) return E.invalidRulePattern();
    const scenarios = scenariosOf(platform, params, application);
    if (isApiError(scenarios)) return scenarios;
    const rule = platform.addRule({
      applicationId: application.id,
      name,
      pattern,
      patternExclude: exclude,
      videoConference: flag(params.get('video_conference')),
      scenarioIds: scenarios.map((s) => s.id),
    });
    return { result: 1, rule_id: rule.id };
  },

  SetRuleInfo: (platform, params) => {
    const rule = platform.rule(integer(params.get('rule_id')) ?? -1);
    if (rule === undefined) return E.invalidRuleId();
    const name = params.get('rule_name') ?? rule.name;
    if (name === '' || name.length > MAX_RULE_NAME) return E.invalidRuleName();
    if (platform.rules.some((r) => r !== rule && r.applicationId === rule.applicationId && r.name === name))
      return E.ruleNameNotUnique();
    const pattern = params.get('rule_pattern') ?? rule.pattern;
    const exclude = params.get('rule_pattern_exclude') ?? rule.patternExclude;
    if (!validPattern(pattern) || (exclude !== undefined && !validPattern(exclude)))
      return E.invalidRulePattern();
    rule.name = name;
    rule.pattern = pattern;
    rule.patternExclude = exclude;
    rule.videoConference = flag(params.get('video_conference'), rule.videoConference);
    platform.touch(rule);
    return { result: 1 };
  },
};

function listed<T>(items: readonly T[], params: URLSearchParams): object | ApiError {
  const paged = page(items, params);
  if (isApiError(paged)) return paged;
  return { result: paged.page, total_count: paged.total, count: paged.page.length };
}

function checkScenario(name: string, script: string): ApiError | undefined {
  if (name === '' || name.length > MAX_SCENARIO_NAME) return E.invalidScenarioName();
  if (Buffer.byteLength(script) > MAX_SCRIPT_BYTES) return E.scriptTooLong();
  return undefined;
}

/** `rule_id`, or `rule_name` within the application. */
function ruleOf(
  platform: VoximplantPlatform,
  params: URLSearchParams,
  application: SimApplication | null,
): SimRule | ApiError {
  const rawId = params.get('rule_id');
  const name = params.get('rule_name');
  const rule =
    rawId !== null
      ? platform.rule(integer(rawId) ?? -1)
      : platform.rules.find(
          (r) => r.name === name && (application === null || r.applicationId === application.id),
        );
  if (rule === undefined || (application !== null && rule.applicationId !== application.id))
    return E.invalidRuleId();
  return rule;
}

/** `scenario_id` or `scenario_name` lists; "the rule and the scenario need to be in the same application". */
function scenariosOf(
  platform: VoximplantPlatform,
  params: URLSearchParams,
  application: SimApplication,
): SimScenario[] | ApiError {
  const ids = list(params.get('scenario_id'));
  const names = list(params.get('scenario_name'));
  if (ids === undefined && names === undefined)
    return E.invalidArguments("The 'scenario_id' or 'scenario_name' parameter is required");
  const visible = platform.scenarios.filter(
    (s) => s.applicationId === application.id || s.applicationId === null,
  );
  const found: SimScenario[] = [];
  for (const id of ids ?? []) {
    const scenario = visible.find((s) => s.id === integer(id));
    if (scenario === undefined) return E.invalidScenarioId();
    found.push(scenario);
  }
  for (const name of ids === undefined ? (names ?? []) : []) {
    const scenario = visible.find((s) => s.name === name);
    if (scenario === undefined) return E.invalidScenarioName();
    found.push(scenario);
  }
  return found;
}

function bind(platform: VoximplantPlatform, rule: SimRule, scenarios: readonly SimScenario[]): void {
  for (const scenario of scenarios)
    if (!rule.scenarioIds.includes(scenario.id)) rule.scenarioIds.push(scenario.id);
  platform.touch(rule);
}
