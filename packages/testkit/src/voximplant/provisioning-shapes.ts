import { type ApiError, apiError } from './api-errors.js';
import { apiDate } from './call-history.js';
import type { SimApplication, SimRule, SimScenario, VoximplantPlatform } from './platform-objects.js';

/**
 * Error codes of the provisioning methods, with the descriptions of `APIErrorCode` in
 * `@voximplant/apiclient-nodejs` (src/Enums.ts). The real `msg` texts are unverified; the codes are
 * the client's.
 */
export const PROVISIONING_ERRORS = {
  invalidArguments: (what: string) => apiError(101, what),
  invalidApplicationName: () => apiError(107, 'Invalid application name'),
  invalidApplicationId: () => apiError(116, "The 'application_id' parameter is invalid"),
  applicationNameNotUnique: () => apiError(129, 'Application name is not unique'),
  scriptTooLong: () => apiError(130, 'Script text is too long'),
  invalidScenarioId: () => apiError(132, "The 'scenario_id' parameter is invalid"),
  scenarioNameNotUnique: () => apiError(133, 'The scenario name is not unique'),
  invalidRuleId: () => apiError(147, "The 'rule_id' parameter is invalid"),
  invalidRulePattern: () => apiError(148, "The 'rule_pattern' parameter is invalid"),
  invalidRuleName: () => apiError(156, "The 'rule_name' parameter is invalid"),
  invalidScenarioName: () => apiError(168, "The 'scenario_name' parameter is invalid"),
  ruleNameNotUnique: () => apiError(175, "The 'rule_name' is not unique"),
} as const;

/** Documented limits: AddApplication's name format, "less than 30" / "less than 100" / "less than 128 KB". */
export const APPLICATION_NAME = /^[a-z][a-z0-9-]{1,64}$/;
export const MAX_SCENARIO_NAME = 29;
export const MAX_RULE_NAME = 99;
export const MAX_SCRIPT_BYTES = 128 * 1024 - 1;
export const MAX_PATTERN_BYTES = 64 * 1024 - 1;

export function integer(value: string | null): number | undefined {
  return value !== null && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** The API's booleans are `true`/`false`; the official client also sends them so. */
export function flag(value: string | null, fallback = false): boolean {
  return value === null ? fallback : value === 'true' || value === '1';
}

/** A `;`-separated list parameter (intlist, stringlist). */
export function list(value: string | null): string[] | undefined {
  return value === null || value === '' ? undefined : value.split(';');
}

/** "The application ID", or "the application name that can be used instead". */
export function applicationOf(
  platform: VoximplantPlatform,
  params: URLSearchParams,
): SimApplication | ApiError {
  const rawId = params.get('application_id');
  if (rawId !== null) {
    const found = platform.application(integer(rawId) ?? -1);
    return found ?? PROVISIONING_ERRORS.invalidApplicationId();
  }
  const name = params.get('application_name');
  if (name !== null) return platform.applicationNamed(name) ?? PROVISIONING_ERRORS.invalidApplicationId();
  return PROVISIONING_ERRORS.invalidArguments(
    "The 'application_id' or 'application_name' parameter is required",
  );
}

export function isApiError(value: unknown): value is ApiError {
  return typeof value === 'object' && value !== null && 'error' in value;
}

export function validPattern(pattern: string): boolean {
  if (Buffer.byteLength(pattern) > MAX_PATTERN_BYTES) return false;
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/** `count` (default 20, assumed: the docs give none for these methods) and `offset`. */
export function page<T>(
  items: readonly T[],
  params: URLSearchParams,
): { page: T[]; total: number } | ApiError {
  const count = integer(params.get('count')) ?? 20;
  const offset = integer(params.get('offset')) ?? 0;
  if (count < 1 || count > 1000) return PROVISIONING_ERRORS.invalidArguments("Invalid 'count' value");
  return { page: items.slice(offset, offset + count), total: items.length };
}

export function nameContains(name: string, part: string | null): boolean {
  return part === null || name.toLowerCase().includes(part.toLowerCase());
}

/** ApplicationInfo. */
export function applicationInfo(application: SimApplication) {
  return {
    application_id: application.id,
    application_name: application.name,
    modified: apiDate(application.modified),
    secure_record_storage: application.secureRecordStorage,
  };
}

/** ScenarioInfo; `scenario_script` only when asked for. */
export function scenarioInfo(scenario: SimScenario, withScript: boolean) {
  return {
    scenario_id: scenario.id,
    scenario_name: scenario.name,
    modified: apiDate(scenario.modified),
    parent: false,
    ...(withScript ? { scenario_script: scenario.script } : {}),
  };
}

/** RuleInfo; `scenarios` (ScenarioInfo without scripts) only when asked `with_scenarios`. */
export function ruleInfo(platform: VoximplantPlatform, rule: SimRule, withScenarios: boolean) {
  return {
    rule_id: rule.id,
    application_id: rule.applicationId,
    rule_name: rule.name,
    rule_pattern: rule.pattern,
    ...(rule.patternExclude === undefined ? {} : { rule_pattern_exclude: rule.patternExclude }),
    video_conference: rule.videoConference,
    modified: apiDate(rule.modified),
    ...(withScenarios
      ? {
          scenarios: rule.scenarioIds
            .map((id) => platform.scenario(id))
            .filter((s): s is SimScenario => s !== undefined)
            .map((s) => scenarioInfo(s, false)),
        }
      : {}),
  };
}
