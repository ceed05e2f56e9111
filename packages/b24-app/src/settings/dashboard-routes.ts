import { DASHBOARD_MAX_DAYS, isIanaZone } from '@prozvon/sdk';
import { z } from 'zod';
import { apiError, apiOk } from './api-response.js';
import type { FrameSession } from './frame-auth.js';
import type { SettingsApiDeps } from './settings-api-deps.js';
import { settingsIssues } from './settings-input.js';

const DAY_MS = 24 * 3_600_000;
/** The period shown when the page names none: the last 30 days. */
const DEFAULT_DAYS = 30;
/**
 * The longest period asked for: a period cut mid-day at both ends, across a change of clocks,
 * touches up to two calendar days more, and the store counts at most DASHBOARD_MAX_DAYS.
 */
const MAX_PERIOD_DAYS = DASHBOARD_MAX_DAYS - 2;

const instant = z.union(
  [
    z
      .string()
      .regex(/^\d{1,15}$/)
      .transform(Number),
    z.iso.datetime({ offset: true }).transform((text) => Date.parse(text)),
  ],
  { error: 'expected epoch milliseconds or an ISO time with its offset' },
);

const dashboardQuery = z
  .object({
    from: instant.optional(),
    to: instant.optional(),
    groupBy: z.enum(['partner', 'site'], { error: 'expected partner or site' }).default('partner'),
    /** Another zone's days than the portal's own (`hours.timezone`). */
    timeZone: z
      .string()
      .max(64)
      .refine(isIanaZone, 'expected an IANA time zone such as Europe/Moscow')
      .optional(),
  })
  .strict();

/**
 * `GET /api/portal/dashboard?from=&to=&groupBy=partner|site&timeZone=`: the caller's portal's
 * figures over [from, to) (epoch ms or ISO times; default the 30 days up to now), in total, per
 * partner or site, and per day of the portal's zone; computed by the store in SQL. 400
 * `invalid_request` with one issue per field for a bad query, an empty or reversed period, or one
 * longer than DASHBOARD_MAX_DAYS.
 */
export async function getDashboard(
  deps: SettingsApiDeps,
  session: FrameSession,
  request: Request,
): Promise<Response> {
  const parsed = dashboardQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return apiError(400, 'invalid_request', { issues: settingsIssues(parsed.error) });
  const { groupBy, timeZone } = parsed.data;
  const to = parsed.data.to ?? deps.now();
  const from = parsed.data.from ?? to - DEFAULT_DAYS * DAY_MS;
  if (to <= from) return invalid('to', 'must be after from');
  if (to - from > MAX_PERIOD_DAYS * DAY_MS) {
    return invalid('from', `the period is longer than ${MAX_PERIOD_DAYS} days`);
  }
  const dashboard = await deps.host.dashboard(session.portal.memberId, {
    from,
    to,
    groupBy,
    ...(timeZone === undefined ? {} : { timeZone }),
  });
  return apiOk({ from, to, groupBy, ...dashboard });
}

function invalid(path: string, message: string): Response {
  return apiError(400, 'invalid_request', { issues: [{ path, message }] });
}

/**
 * `POST /api/portal/leads/:leadId/machine-was-person`: a seller's "it was a person" on a lead
 * whose call ended on an answering machine, `by` the user, on the lead's audit trail. 200
 * `{ outcome: 'marked' | 'already_marked', at, by }` (a repeat answers the first mark); 409
 * `{ outcome: 'not_machine', leadOutcome }`; 404 for a lead not the portal's.
 */
export async function machineWasPerson(
  deps: SettingsApiDeps,
  session: FrameSession,
  leadId: string,
): Promise<Response> {
  const tenantId = session.portal.memberId;
  const result = await deps.host.markMachineAsPerson(tenantId, leadId, session.by);
  if (result.outcome === 'unknown_lead') return apiError(404, 'not_found');
  deps.logger.info(
    { memberId: tenantId, leadId, by: session.by, outcome: result.outcome, audit: 'machine_was_person' },
    'machine marked as a person',
  );
  return apiOk(result, result.outcome === 'not_machine' ? 409 : 200);
}
