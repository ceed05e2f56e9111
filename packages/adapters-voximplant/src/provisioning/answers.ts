import { z } from 'zod';

// The parts of the provisioning answers we read, snake_case as the API sends them
// (voximplant.com/docs/references/httpapi: ApplicationInfoType, ScenarioInfoType, RuleInfoType;
// `@voximplant/apiclient-nodejs` Interfaces.ts for the Add* answers).
const id = z.number().int().positive();

/** A Get* answer: a page of `result`, and how many there are in all. */
function listOf<Item extends z.ZodType>(item: Item) {
  return z.object({ result: z.array(item), total_count: z.number().int().nonnegative().optional() });
}

export const ApplicationInfo = z.object({ application_id: id, application_name: z.string() });
export const ApplicationsAnswer = listOf(ApplicationInfo);
export const AddApplicationAnswer = z.object({
  result: z.literal(1),
  application_id: id,
  application_name: z.string(),
});

export const ScenarioInfo = z.object({
  scenario_id: id,
  scenario_name: z.string(),
  /** Only with `with_script=true` and a `scenario_id` (the docs say both are needed). */
  scenario_script: z.string().optional(),
});
export type ScenarioInfo = z.output<typeof ScenarioInfo>;
export const ScenariosAnswer = listOf(ScenarioInfo);
export const AddScenarioAnswer = z.object({ result: z.literal(1), scenario_id: id });

export const RuleInfo = z.object({
  rule_id: id,
  rule_name: z.string(),
  rule_pattern: z.string(),
  /** With `with_scenarios=true`. */
  scenarios: z.array(ScenarioInfo.pick({ scenario_id: true })).optional(),
});
export type RuleInfo = z.output<typeof RuleInfo>;
export const RulesAnswer = listOf(RuleInfo);
export const AddRuleAnswer = z.object({ result: z.literal(1), rule_id: id });

/** SetScenarioInfo, SetRuleInfo, BindScenario. */
export const Done = z.object({ result: z.literal(1) });
