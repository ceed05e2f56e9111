/**
 * The variable parts of the intake URLs, read from the end of the path so the routes work under
 * any mount prefix. Each part is percent-decoded; a part that does not decode is no match.
 */

/** `…/p/<portalKey>/leads` → portalKey, or null. */
export function portalKeyOfPath(url: string): string | null {
  const match = /\/p\/([^/]+)\/leads\/?$/.exec(new URL(url).pathname);
  return match?.[1] === undefined ? null : decoded(match[1]);
}

/** `…/api/1/json/public/<portalKey>/<secret>` → both, or null. */
export function corezoidPathParams(url: string): { portalKey: string; secret: string } | null {
  const match = /\/api\/1\/json\/public\/([^/]+)\/([^/]+)\/?$/.exec(new URL(url).pathname);
  if (match?.[1] === undefined || match[2] === undefined) return null;
  const portalKey = decoded(match[1]);
  const secret = decoded(match[2]);
  return portalKey === null || secret === null ? null : { portalKey, secret };
}

function decoded(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}
