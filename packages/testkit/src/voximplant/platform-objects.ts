/**
 * The account's applications, scenarios and routing rules, as the provisioning methods of the
 * management API see them (voximplant.com/docs/references/httpapi: applications, scenarios,
 * rules; field names from `@voximplant/apiclient-nodejs` Structures: ApplicationInfo, ScenarioInfo,
 * RuleInfo). StartScenarios runs the scenarios bound to its rule, so what was uploaded is what runs.
 */
export interface SimApplication {
  readonly id: number;
  /** The short name given to AddApplication, `[a-z][a-z0-9-]{1,64}`. */
  readonly shortName: string;
  /** The full name the API answers: `<short>.<account>.voximplant.com`. */
  readonly name: string;
  secureRecordStorage: boolean;
  modified: number;
}

export interface SimScenario {
  readonly id: number;
  name: string;
  script: string;
  /** null: the Shared folder (AddScenario without an application). */
  readonly applicationId: number | null;
  modified: number;
}

export interface SimRule {
  readonly id: number;
  readonly applicationId: number;
  name: string;
  pattern: string;
  patternExclude: string | undefined;
  videoConference: boolean;
  /** Bound scenarios in the order they run. */
  scenarioIds: number[];
  modified: number;
}

/** What a started session runs: the rule's bound scenarios, one after another in one space. */
export interface RuleProgram {
  readonly rule: SimRule;
  readonly application: SimApplication;
  readonly scenarios: readonly SimScenario[];
}

export class VoximplantPlatform {
  readonly applications: SimApplication[] = [];
  readonly scenarios: SimScenario[] = [];
  readonly rules: SimRule[] = [];
  // Ids are counters per kind, far apart, so a test reading one never mistakes it for another.
  #nextApplicationId = 10_000_001;
  #nextScenarioId = 20_000_001;
  #nextRuleId = 30_000_001;

  constructor(
    readonly accountName: string,
    private readonly now: () => number,
  ) {}

  fullName(shortName: string): string {
    return `${shortName}.${this.accountName}.voximplant.com`;
  }

  addApplication(shortName: string, secureRecordStorage = false): SimApplication {
    const application: SimApplication = {
      id: this.#nextApplicationId++,
      shortName,
      name: this.fullName(shortName),
      secureRecordStorage,
      modified: this.now(),
    };
    this.applications.push(application);
    return application;
  }

  addScenario(name: string, script: string, applicationId: number | null): SimScenario {
    const scenario: SimScenario = {
      id: this.#nextScenarioId++,
      name,
      script,
      applicationId,
      modified: this.now(),
    };
    this.scenarios.push(scenario);
    return scenario;
  }

  addRule(rule: Omit<SimRule, 'id' | 'modified'> & { id?: number | undefined }): SimRule {
    let id = rule.id;
    if (id === undefined) {
      do id = this.#nextRuleId++;
      while (this.rule(id) !== undefined);
    }
    const added: SimRule = { ...rule, id, modified: this.now() };
    this.rules.push(added);
    return added;
  }

  application(id: number): SimApplication | undefined {
    return this.applications.find((a) => a.id === id);
  }

  /** By its short or its full name. */
  applicationNamed(name: string): SimApplication | undefined {
    return this.applications.find((a) => a.shortName === name || a.name === name);
  }

  scenario(id: number): SimScenario | undefined {
    return this.scenarios.find((s) => s.id === id);
  }

  rule(id: number): SimRule | undefined {
    return this.rules.find((r) => r.id === id);
  }

  touch(object: { modified: number }): void {
    object.modified = this.now();
  }

  /** The rule and what it runs, or undefined when there is no such rule. */
  program(ruleId: number): RuleProgram | undefined {
    const rule = this.rule(ruleId);
    const application = rule === undefined ? undefined : this.application(rule.applicationId);
    if (rule === undefined || application === undefined) return undefined;
    const scenarios = rule.scenarioIds
      .map((id) => this.scenario(id))
      .filter((s): s is SimScenario => s !== undefined);
    return { rule, application, scenarios };
  }
}
