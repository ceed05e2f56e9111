import type { WebHandler } from '@prozvon/sdk/koa';
import { apiError } from './api-response.js';
import { getCrmLead } from './crm-lead-route.js';
import { getDashboard, machineWasPerson } from './dashboard-routes.js';
import { type FrameSession, requireAdmin } from './frame-auth.js';
import { getLead, leadAction, listLeads } from './lead-routes.js';
import { testCall, testSms, testTelegram } from './provider-test-routes.js';
import { listRestLog } from './rest-log-route.js';
import { rotateIntakeSecret } from './rotate-intake-secret.js';
import type { SettingsApiDeps } from './settings-api-deps.js';
import { getSettings, putSettings } from './settings-routes.js';
import { connectVoximplant } from './voximplant-connect.js';

/** The settings API's paths (server.ts mounts them). */
export const API_PATHS = {
  settings: '/api/portal/settings',
  rotateIntakeSecret: '/api/portal/intake-secret/rotate',
  connectVoximplant: '/api/portal/voximplant/connect',
  leads: '/api/portal/leads',
  lead: '/api/portal/leads/:leadId',
  retryCrm: '/api/portal/leads/:leadId/retry-crm',
  cancelCalls: '/api/portal/leads/:leadId/cancel-calls',
  callNow: '/api/portal/leads/:leadId/call-now',
  crmLead: '/api/portal/crm-leads/:crmLeadId',
  testSms: '/api/portal/test/sms',
  testTelegram: '/api/portal/test/telegram',
  testCall: '/api/portal/test/call',
  restLog: '/api/portal/rest-log',
  machineWasPerson: '/api/portal/leads/:leadId/machine-was-person',
  dashboard: '/api/portal/dashboard',
} as const;

export interface SettingsApiRoutes {
  readonly getSettings: WebHandler;
  readonly putSettings: WebHandler;
  readonly rotateIntakeSecret: WebHandler;
  readonly connectVoximplant: WebHandler;
  readonly listLeads: WebHandler;
  readonly getLead: WebHandler;
  readonly retryCrm: WebHandler;
  readonly cancelCalls: WebHandler;
  readonly callNow: WebHandler;
  readonly crmLead: WebHandler;
  readonly testSms: WebHandler;
  readonly testTelegram: WebHandler;
  readonly testCall: WebHandler;
  readonly restLog: WebHandler;
  readonly machineWasPerson: WebHandler;
  readonly dashboard: WebHandler;
}

type Route = (session: FrameSession, request: Request) => Promise<Response>;

/**
 * The JSON API behind the app's pages, each route as a Web handler: frame auth first (401 for
 * no or a wrong token, or a token of another portal than the one named), then 403 for a
 * non-admin on the routes that change settings, then the route. Reading settings and leads,
 * and the lead actions the lead tab offers sellers, are open to every user of the portal.
 */
export function createSettingsApi(deps: SettingsApiDeps): SettingsApiRoutes {
  const route =
    (handle: Route, admin: boolean): WebHandler =>
    async (request) => {
      const session = await deps.auth.authenticate(request);
      if (session instanceof Response) return session;
      if (admin) {
        const refused = requireAdmin(session);
        if (refused !== null) return refused;
      }
      return handle(session, request);
    };
  const withLead =
    (handle: (session: FrameSession, leadId: string) => Promise<Response>): Route =>
    async (session, request) => {
      const leadId = leadIdOf(request.url);
      return leadId === null ? apiError(404, 'not_found') : handle(session, leadId);
    };
  return {
    getSettings: route((session) => getSettings(deps, session), false),
    putSettings: route((session, request) => putSettings(deps, session, request), true),
    rotateIntakeSecret: route((session) => rotateIntakeSecret(deps, session), true),
    connectVoximplant: route((session, request) => connectVoximplant(deps, session, request), true),
    listLeads: route((session, request) => listLeads(deps, session, request), false),
    getLead: route(
      withLead((session, leadId) => getLead(deps, session, leadId)),
      false,
    ),
    retryCrm: route(
      withLead((session, leadId) => leadAction(deps, session, leadId, 'retry-crm')),
      false,
    ),
    cancelCalls: route(
      withLead((session, leadId) => leadAction(deps, session, leadId, 'cancel-calls')),
      false,
    ),
    callNow: route(
      withLead((session, leadId) => leadAction(deps, session, leadId, 'call-now')),
      false,
    ),
    crmLead: route((session, request) => getCrmLead(deps, session, lastSegment(request.url)), false),
    testSms: route((session, request) => testSms(deps, session, request), true),
    testTelegram: route((session) => testTelegram(deps, session), true),
    testCall: route((session, request) => testCall(deps, session, request), true),
    // Admins only: the requests name the portal's leads, users and settings.
    restLog: route((session, request) => listRestLog(deps, session, request), true),
    machineWasPerson: route(
      withLead((session, leadId) => machineWasPerson(deps, session, leadId)),
      false,
    ),
    dashboard: route((session, request) => getDashboard(deps, session, request), false),
  };
}

function lastSegment(url: string): string {
  return new URL(url).pathname.split('/').pop() ?? '';
}

/** `/api/portal/leads/<id>[/<action>]` → the id; lead ids are the engine's (url-safe, short). */
function leadIdOf(url: string): string | null {
  const match = /^\/api\/portal\/leads\/([^/]{1,100})(?:\/[a-z-]+)?$/.exec(new URL(url).pathname);
  if (match?.[1] === undefined) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}
