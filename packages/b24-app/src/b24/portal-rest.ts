/**
 * The app's own REST calls on a portal (binding events and placements, reading a lead, draining
 * offline events, checking a user), with the portal's install tokens. One per portal, refreshed
 * under the portal's refresh lock (oauth/); a method's error comes back as a RestCallError.
 */
export interface PortalRest {
  call<T = unknown>(method: string, params?: Readonly<Record<string, unknown>>): Promise<T>;
}

/** Gives the PortalRest of an installed portal, by member id. */
export interface PortalRestSource {
  forPortal(memberId: string): Promise<PortalRest>;
}

/** A REST method answered with an error (`{ error, error_description }`), or could not be reached. */
export class RestCallError extends Error {
  constructor(
    readonly method: string,
    readonly code: string,
    description: string,
  ) {
    super(`${method}: ${code}${description === '' ? '' : ` (${description})`}`);
    this.name = 'RestCallError';
  }
}

/** Errors that mean "already done": binding twice is not a failure (BITRIX24.md §3, §6). */
export function isAlreadyBound(error: unknown): boolean {
  return error instanceof RestCallError && /already bind|already binded|already exists/i.test(error.message);
}
