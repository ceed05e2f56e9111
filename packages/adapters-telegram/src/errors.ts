import { AuthError, PermanentError, type PortError, TransientError } from '@prozvon/sdk';
import { GrammyError, HttpError } from 'grammy';

/**
 * A Bot API refusal or a failed request as a port error. Branches on `error_code` (descriptions
 * change, MESSAGING.md §4). 429 and chat migration are handled by the notifier before this.
 */
export function toNotifierError(error: unknown, token: string): PortError {
  if (error instanceof GrammyError) {
    const what = `Telegram ${error.error_code}: ${error.description}`;
    if (error.error_code === 401 || error.error_code === 404)
      // 404 is what Telegram answers for a token that is not a bot's at all.
      return new AuthError(`${what} — check the bot token`, { cause: error });
    if (error.error_code >= 500) return new TransientError(what, { cause: error });
    // 400 chat not found / can't parse entities, 403 blocked / kicked / not a member, 409…:
    // the same message would be refused again.
    return new PermanentError(what, { cause: error });
  }
  // A network error, a timeout, or an answer that is not JSON (a proxy's 502 page). Telegram may
  // have delivered it; a duplicate seller notice is acceptable, a lost one is not: retry later.
  if (error instanceof HttpError)
    return new TransientError(`Telegram: ${redact(error.message, token)}`, {
      cause: sanitized(error, token),
    });
  const message = error instanceof Error ? error.message : String(error);
  return new TransientError(`Telegram: ${redact(message, token)}`, { cause: sanitized(error, token) });
}

/** The token is in every request URL, and node-fetch puts the URL in its error messages. */
export function redact(text: string, token: string): string {
  return token === '' ? text : text.split(token).join('<token>');
}

/** A copy of the error chain with the token removed from every message. */
function sanitized(error: unknown, token: string, depth = 0): Error {
  const inner = error instanceof HttpError ? error.error : error instanceof Error ? error.cause : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const keepInner = inner !== undefined && depth < 4;
  const copy = new Error(
    redact(message, token),
    keepInner ? { cause: sanitized(inner, token, depth + 1) } : {},
  );
  copy.name = error instanceof Error ? error.name : 'Error';
  return copy;
}
