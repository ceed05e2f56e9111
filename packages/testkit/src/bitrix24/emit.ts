import { isoWithOffset } from './dates.js';
import type { InstallDeps } from './install.js';
import type { Portal } from './portal.js';
import type { EventHandler } from './records.js';

const ts = (now: number) => String(Math.floor(now / 1000));

/** What caused a change: the acting user (none for a web form) and the caller's auth_connector. */
export interface Cause {
  userId: number | undefined;
  authConnector?: string;
  /** Only this app's handlers: an event aimed at one app, e.g. the telephony line a form names. */
  clientId?: string;
}

function isLive(portal: Portal, handler: EventHandler): boolean {
  // Dead until installFinish (§2.2).
  return portal.installs.get(handler.clientId)?.finished === true;
}

function post(
  deps: InstallDeps,
  portal: Portal,
  handler: EventHandler,
  event: string,
  data: unknown,
  userId: number | undefined,
  withRefresh: boolean,
) {
  const install = portal.installs.get(handler.clientId);
  if (install === undefined) return;
  const { expires: _e, user_id: _u, ...auth } = deps.apps.authPayload(portal, install, userId, withRefresh);
  const body = { event, event_handler_id: String(handler.id), data, ts: ts(deps.clock.now()), auth };
  void deps.outbox.post(portal, event, handler.handler, body);
}

/** Queues the change for the app's offline binding, then nudges its ONOFFLINEEVENT handlers. */
function queueOffline(
  deps: InstallDeps,
  portal: Portal,
  handler: EventHandler,
  event: string,
  data: Record<string, unknown>,
) {
  const now = deps.clock.now();
  let queue = portal.offlineQueues.get(handler.clientId);
  if (queue === undefined) {
    queue = new Map();
    portal.offlineQueues.set(handler.clientId, queue);
  }
  const objectId = String((data.FIELDS as { ID?: unknown } | undefined)?.ID ?? '');
  const key = `${event}|${objectId}`;
  const id = String(portal.nextId());
  queue.delete(key); // one record per object, moved to the end with its latest state
  queue.set(key, {
    ID: id,
    TIMESTAMP_X: isoWithOffset(now, portal.offsetMinutes),
    EVENT_NAME: event,
    EVENT_DATA: data,
    EVENT_ADDITIONAL: false,
    MESSAGE_ID: id,
  });
  for (const notify of portal.eventHandlers) {
    if (notify.clientId !== handler.clientId || notify.event !== 'ONOFFLINEEVENT' || notify.offline) continue;
    if (!isLive(portal, notify)) continue;
    if (notify.lastSentAt !== undefined && now - notify.lastSentAt < (notify.minTimeout ?? 0) * 1000)
      continue;
    notify.lastSentAt = now;
    // ONOFFLINEEVENT carries a refresh token (§2.1b), for the install's admin.
    const admin = portal.installs.get(handler.clientId)?.installedBy ?? 1;
    post(deps, portal, notify, 'ONOFFLINEEVENT', [], admin, true);
  }
}

/**
 * Raises `event` on the portal (§3): each online binding gets one POST with the tokens of its
 * auth_type user or of whoever caused the change (none when nobody did); each offline binding
 * queues the change unless the caller passed that binding's auth_connector.
 */
export function emitEvent(
  deps: InstallDeps,
  portal: Portal,
  event: string,
  data: Record<string, unknown>,
  cause: Cause,
): void {
  for (const handler of portal.eventHandlers) {
    if (handler.event !== event || !isLive(portal, handler)) continue;
    if (cause.clientId !== undefined && handler.clientId !== cause.clientId) continue;
    if (handler.offline) {
      if (cause.authConnector === undefined || cause.authConnector !== handler.authConnector) {
        queueOffline(deps, portal, handler, event, data);
      }
      continue;
    }
    const userId =
      cause.userId === undefined ? undefined : handler.authType > 0 ? handler.authType : cause.userId;
    post(deps, portal, handler, event, data, userId, false);
  }
}
