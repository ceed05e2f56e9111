import { sameSecret } from '@prozvon/sdk';
import { z } from 'zod';
import { queryOf, readFormBody } from '../http/form-body.js';
import type { Portal, PortalStore } from '../portals/portal-store.js';

const framePostSchema = z
  .object({
    APPLICATION_TOKEN: z.string().min(1),
    member_id: z.string().min(1).max(64),
    PLACEMENT: z.string().max(100).optional(),
    PLACEMENT_OPTIONS: z.unknown().optional(),
  })
  .loose();

export type FrameOpen =
  | {
      readonly ok: true;
      readonly portal: Portal;
      readonly placement: string;
      readonly options: Record<string, unknown>;
    }
  | { readonly ok: false; readonly status: number; readonly reason: string };

/**
 * A page opened by the portal (a POST with the frame's fields, BITRIX24.md §2.1a): believed only
 * when its APPLICATION_TOKEN is the one stored for its member_id and its DOMAIN is that portal's.
 * PLACEMENT_OPTIONS may be a JSON string or a nested form: both are read.
 */
export async function readFrameOpen(request: Request, portals: PortalStore): Promise<FrameOpen> {
  if (request.method !== 'POST') return { ok: false, status: 200, reason: 'outside_portal' };
  const form = await readFormBody(request);
  if (!form.ok) return { ok: false, status: form.response.status, reason: 'bad_body' };
  const parsed = framePostSchema.safeParse(form.fields);
  if (!parsed.success) return { ok: false, status: 200, reason: 'outside_portal' };
  const portal = await portals.getByMemberId(parsed.data.member_id);
  const domain = queryOf(request).DOMAIN?.toLowerCase();
  if (
    portal === null ||
    portal.applicationToken === null ||
    !sameSecret(portal.applicationToken, parsed.data.APPLICATION_TOKEN) ||
    domain !== portal.domain.toLowerCase()
  ) {
    return { ok: false, status: 401, reason: 'not_this_portal' };
  }
  return {
    ok: true,
    portal,
    placement: parsed.data.PLACEMENT ?? 'DEFAULT',
    options: placementOptions(parsed.data.PLACEMENT_OPTIONS),
  };
}

function placementOptions(value: unknown): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value))
    return value as Record<string, unknown>;
  if (typeof value !== 'string' || value === '') return {};
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
