import type { KeyObject } from 'node:crypto';
import { type ApiError, AUTHORIZATION_FAILED, apiError, UNKNOWN_COMMAND } from './api-errors.js';
import { parseApiDate, sessionInfo } from './call-history.js';
import type { RuleProgram, VoximplantPlatform } from './platform-objects.js';
import { PROVISIONING_METHODS } from './provisioning-api.js';
import { checkServiceToken } from './service-jwt.js';
import type { SimScenarioSession, VoximplantState } from './voximplant-state.js';

export interface ManagementContext {
  readonly state: VoximplantState;
  readonly accountId: number;
  readonly apiKey: string;
  readonly keys: ReadonlyMap<string, KeyObject>;
  /** Applications, scenarios and rules: what the provisioning methods change, what StartScenarios runs. */
  readonly platform: VoximplantPlatform;
  /** Real ms after a session ends before GetCallHistory shows it (the real lag is unverified). */
  readonly historyLagMs: number;
  readonly now: () => number;
  /** An account-level refusal of StartScenarios (no money), or undefined when it may start sessions. */
  startRefusal(): ApiError | undefined;
  startSession(program: RuleProgram, customData: string): SimScenarioSession;
  accessUrls(session: SimScenarioSession): { http: string; https: string };
}

/** Answers one management API call: a JSON body, errors included (they travel as HTTP 200). */
export function handleManagementApi(
  ctx: ManagementContext,
  method: string,
  params: URLSearchParams,
  authorization: string | undefined,
): object {
  if (!authorized(ctx, params, authorization)) return AUTHORIZATION_FAILED;
  switch (method) {
    case 'StartScenarios':
      return startScenarios(ctx, params);
    case 'GetCallHistory':
      return getCallHistory(ctx, params);
    default: {
      const provisioning = Object.hasOwn(PROVISIONING_METHODS, method)
        ? PROVISIONING_METHODS[method]
        : undefined;
      return provisioning === undefined ? UNKNOWN_COMMAND : provisioning(ctx.platform, params);
    }
  }
}

/** A Bearer service-account JWT, or the legacy `account_id` + `api_key` parameters. */
function authorized(
  ctx: ManagementContext,
  params: URLSearchParams,
  authorization: string | undefined,
): boolean {
  const bearer = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
  if (bearer !== undefined) return checkServiceToken(bearer, ctx.keys, ctx.accountId, ctx.now()) === null;
  return params.get('api_key') === ctx.apiKey && Number(params.get('account_id')) === ctx.accountId;
}

function integer(value: string | null): number | undefined {
  return value !== null && /^\d+$/.test(value) ? Number(value) : undefined;
}

// Which error a missing or unknown rule gets is unverified; 101 "invalid arguments" is assumed (the
// client's enum also has 147 "The 'rule_id' parameter is invalid"). A session runs the scenarios
// bound to the rule at the moment it starts; a rule with none is refused (the real answer to that
// is unverified).
function startScenarios(ctx: ManagementContext, params: URLSearchParams): object {
  const raw = params.get('rule_id');
  if (raw === null) return apiError(101, "The 'rule_id' parameter is required");
  const ruleId = integer(raw);
  if (ruleId === undefined) return apiError(101, "Invalid 'rule_id' value");
  const program = ctx.platform.program(ruleId);
  if (program === undefined) return apiError(101, `Rule ${ruleId} not found`);
  if (program.scenarios.length === 0) return apiError(101, `No scenario is bound to rule ${ruleId}`);
  const refusal = ctx.startRefusal();
  if (refusal !== undefined) return refusal;
  const session = ctx.startSession(program, params.get('script_custom_data') ?? '');
  const urls = ctx.accessUrls(session);
  return {
    result: 1,
    media_session_access_url: urls.http,
    media_session_access_secure_url: urls.https,
    call_session_history_id: session.sessionId,
  };
}

function getCallHistory(ctx: ManagementContext, params: URLSearchParams): object | ApiError {
  const from = params.get('from_date');
  const to = params.get('to_date');
  const fromMs = from === null ? 0 : parseApiDate(from);
  const toMs = to === null ? Number.POSITIVE_INFINITY : parseApiDate(to);
  if (fromMs === undefined || toMs === undefined) return apiError(111, 'Invalid date format');
  const count = integer(params.get('count')) ?? 20;
  const offset = integer(params.get('offset')) ?? 0;
  if (count < 1 || count > 1000) return apiError(101, "Invalid 'count' value");
  const ids = params.get('call_session_history_id')?.split(';').map(Number);
  const customData = params.get('call_session_history_custom_data');
  const remote = params.get('remote_number');
  const withCalls = params.get('with_calls') === 'true';
  const now = ctx.now();
  let sessions = ctx.state.sessions.filter((s) => {
    const { record } = s;
    if (record.endedAt === null || record.endedAt + ctx.historyLagMs > now) return false;
    if (record.startedAt < fromMs || record.startedAt > toMs) return false;
    if (ids !== undefined && !ids.includes(s.sessionId)) return false;
    if (customData !== null && record.customData !== customData) return false;
    if (remote !== null && !record.calls.some((c) => c.number === remote)) return false;
    return true;
  });
  if (params.get('desc_order') === 'true') sessions = [...sessions].reverse();
  const page = sessions.slice(offset, offset + count);
  return {
    result: page.map((s) => sessionInfo(s, ctx.accountId, withCalls)),
    total_count: sessions.length,
    count: page.length,
    timezone: 'Etc/GMT',
  };
}
