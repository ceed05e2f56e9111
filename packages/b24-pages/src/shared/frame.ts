import { type B24Frame, initializeB24Frame } from '@bitrix24/b24jssdk';
import { markRaw } from 'vue';

/** What a page knows of where it was opened. */
export type FrameContext =
  | {
      readonly inPortal: true;
      readonly b24: B24Frame;
      readonly memberId: string;
      readonly isAdmin: boolean;
      readonly placement: string;
      readonly options: Record<string, unknown>;
    }
  | { readonly inPortal: false; readonly reason: string };

/** How long the portal has to answer B24Frame's first message before the page gives up. */
const PARENT_TIMEOUT_MS = 8_000;

/**
 * Connects to the portal around the page. Outside a portal B24Frame fails at once (the frame has
 * no `DOMAIN|PROTOCOL|SID` name) or never hears back (a copied frame name, no parent answering):
 * both end as `inPortal: false`, which the page shows plainly instead of a blank screen.
 */
export async function connectFrame(timeoutMs = PARENT_TIMEOUT_MS): Promise<FrameContext> {
  if (window.parent === window || window.name === '') {
    return { inPortal: false, reason: 'the page is not inside a Bitrix24 portal' };
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const b24 = await Promise.race([
      initializeB24Frame(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the portal did not answer')), timeoutMs);
      }),
    ]);
    const auth = b24.auth.getAuthData();
    return {
      inPortal: true,
      // B24Frame keeps its state in private fields, which a Vue proxy cannot reach: never made reactive.
      b24: markRaw(b24),
      memberId: auth === false ? '' : auth.member_id,
      isAdmin: b24.auth.isAdmin,
      placement: b24.placement.placement,
      options: placementOptions(b24.placement.options),
    };
  } catch (error) {
    return { inPortal: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** PLACEMENT_OPTIONS arrive as an object or as a JSON string (BITRIX24.md, corrections). */
export function placementOptions(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') {
    try {
      return placementOptions(JSON.parse(value) as unknown);
    } catch {
      return {};
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** Lets the portal size the frame to the page (placements have no scroll of their own). */
export function fitWindow(context: FrameContext): void {
  if (context.inPortal) void context.b24.parent.fitWindow().catch(() => undefined);
}
