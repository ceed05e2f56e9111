import { z } from 'zod';
import { apiError, apiOk } from './api-response.js';
import type { FrameSession } from './frame-auth.js';
import type { SettingsApiDeps } from './settings-api-deps.js';
import { settingsIssues } from './settings-input.js';

const count = (max: number) =>
  z
    .string()
    .regex(/^\d{1,15}$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(max));

const query = z.object({
  limit: count(200).default(50),
  /** The previous page's `next`: rows older than it. */
  before: count(Number.MAX_SAFE_INTEGER).optional(),
});

/**
 * `GET /api/portal/rest-log?limit=&before=` (administrators): the caller's portal's REST requests
 * and answers, newest first, secrets already redacted when they were stored; `next` pages on.
 */
export async function listRestLog(
  deps: SettingsApiDeps,
  session: FrameSession,
  request: Request,
): Promise<Response> {
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return apiError(400, 'invalid_request', { issues: settingsIssues(parsed.error) });
  const { limit, before } = parsed.data;
  const rows = await deps.restLog.list(session.portal.memberId, {
    limit,
    ...(before === undefined ? {} : { beforeId: before }),
  });
  const last = rows.at(-1);
  return apiOk({
    entries: rows.map(({ memberId: _, ...row }) => ({ ...row, at: new Date(row.at).toISOString() })),
    next: rows.length === limit && last !== undefined ? String(last.id) : null,
  });
}
