import type { ActionOutcome, LeadCursor } from '@prozvon/sdk';
import { z } from 'zod';
import { apiError, apiOk } from './api-response.js';
import type { FrameSession } from './frame-auth.js';
import { leadDetail, leadSummary } from './lead-view.js';
import type { SettingsApiDeps } from './settings-api-deps.js';
import { settingsIssues } from './settings-input.js';

const instant = z.union([
  z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number),
  z.iso.datetime({ offset: true }).transform((text) => Date.parse(text)),
]);

const cursorSchema = z.object({ submittedAt: z.number().int(), id: z.string().min(1).max(100) });

const listQuery = z.object({
  /** Stored state names, comma-separated: `crm.manual,call.night`. */
  state: z
    .string()
    .max(500)
    .transform((text) =>
      text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    )
    .pipe(
      z.array(
        z.string().regex(/^(crm|call)\.[A-Za-z]{1,30}$/, 'expected names such as crm.manual or call.night'),
      ),
    )
    .optional(),
  from: instant.optional(),
  to: instant.optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/)
    .transform(Number)
    .pipe(z.number().int().min(1).max(100))
    .default(50),
  cursor: z
    .string()
    .max(300)
    .transform((text, ctx) => {
      try {
        return cursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not a cursor this API gave' });
        return z.NEVER;
      }
    })
    .optional(),
});

/** The cursor as the page carries it: opaque, url-safe. */
function encodeCursor(cursor: LeadCursor | null): string | null {
  return cursor === null ? null : Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/**
 * `GET /api/portal/leads?state=&from=&to=&cursor=&limit=`: the caller's portal's leads, newest
 * first, `limit` (1–100, default 50) at a time; `next` is the cursor of the next page or null.
 * `from`/`to` are epoch ms or ISO times, `from` inclusive, `to` exclusive.
 */
export async function listLeads(
  deps: SettingsApiDeps,
  session: FrameSession,
  request: Request,
): Promise<Response> {
  const parsed = listQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return apiError(400, 'invalid_request', { issues: settingsIssues(parsed.error) });
  const { state, from, to, limit, cursor } = parsed.data;
  const page = await deps.leads.listLeads(session.portal.memberId, {
    limit,
    ...(state === undefined ? {} : { states: state }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(cursor === undefined ? {} : { cursor }),
  });
  return apiOk({ leads: page.leads.map(leadSummary), next: encodeCursor(page.next) });
}

/**
 * `GET /api/portal/leads/:leadId`: the lead, its effects, its audit trail and its dashboard
 * columns (`facts`: outcome, first ring, "it was a person"…), if it is the
 * caller's portal's: another portal's lead id is 404, as an unknown one.
 */
export async function getLead(
  deps: SettingsApiDeps,
  session: FrameSession,
  leadId: string,
): Promise<Response> {
  const lead = await deps.host.getLead(session.portal.memberId, leadId);
  if (lead === null) return apiError(404, 'not_found');
  const [effects, audit, facts] = await Promise.all([
    deps.leads.getEffects(lead.id),
    deps.leads.getAudit(lead.id),
    deps.leads.getLeadFacts(lead.id),
  ]);
  return apiOk(leadDetail(lead, effects, audit, facts));
}

/**
 * `POST /api/portal/leads/:leadId/retry-crm`, `/cancel-calls` and `/call-now`: the engine's
 * actions, `by` the user (`b24user:<id>`), which the engine writes on the lead's audit trail (a
 * refused action too, as `rejected`). Any user of the portal may ask (the lead tab offers them to
 * sellers). 404 for a lead not the portal's; 409 when the lead is past the action, with
 * `reason`: for call-now, `not_waiting` (a call is under way, or calls are over) or
 * `outside_hours` (the shop's hours or the customer's quiet hours forbid a call now; with
 * `nextWindowAt`, epoch ms, when calls may start, null if none within two weeks).
 */
export async function leadAction(
  deps: SettingsApiDeps,
  session: FrameSession,
  leadId: string,
  action: 'retry-crm' | 'cancel-calls' | 'call-now',
): Promise<Response> {
  const tenantId = session.portal.memberId;
  const outcome = await ACTIONS[action](deps.host, tenantId, leadId, session.by);
  if (outcome.outcome === 'unknown_lead') return apiError(404, 'not_found');
  deps.logger.info(
    { memberId: tenantId, leadId, by: session.by, action, outcome: outcome.outcome, audit: 'lead_action' },
    'lead action',
  );
  return apiOk(outcome, outcome.outcome === 'applied' ? 200 : 409);
}

const ACTIONS = {
  'retry-crm': (host, tenantId, leadId, by) => host.retryCrm(tenantId, leadId, by),
  'cancel-calls': (host, tenantId, leadId, by) => host.cancelCalls(tenantId, leadId, by),
  'call-now': (host, tenantId, leadId, by) => host.callNow(tenantId, leadId, by),
} satisfies Record<
  string,
  (host: SettingsApiDeps['host'], tenantId: string, leadId: string, by: string) => Promise<ActionOutcome>
>;
