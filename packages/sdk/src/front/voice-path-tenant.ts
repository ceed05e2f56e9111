/**
 * The host's default way to tell whose voice callback a request is: the path segment after the
 * first `voice` segment, so each shop's scenario is given `https://…/voice/<tenantId>` (or any
 * prefix before `/voice/`, and anything after the id) as its plan and result URL. Null when the
 * path has no such segment or it does not decode.
 */
export function tenantFromVoicePath(request: Request): string | null {
  const segments = new URL(request.url).pathname.split('/');
  const at = segments.indexOf('voice');
  const raw = at === -1 ? undefined : segments[at + 1];
  if (raw === undefined || raw === '') return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}
