import type { AppRecord, Apps, AuthPayload } from './apps.js';
import type { Bitrix24Clock } from './clock.js';
import type { Credentials } from './credentials.js';
import type { Outbox } from './events.js';
import type { Install, Portal } from './portal.js';

export interface InstallOptions {
  /** The administrator installing (user 1 by default). */
  userId?: number;
  /** Call installFinish at once (default true); false leaves events and placements dead (§2.2). */
  finish?: boolean;
}

export interface InstallResult {
  install: Install;
  /** The install (admin) tokens, as ONAPPINSTALL carries them. */
  auth: AuthPayload;
  /** Outcome of the ONAPPINSTALL POST (HTTP status or error), when the app has an event URL. */
  event?: number | string;
  /** Outcome of the install page POST, when the app has a handler URL. */
  page?: number | string;
}

export interface InstallDeps {
  apps: Apps;
  credentials: Credentials;
  outbox: Outbox;
  clock: Bitrix24Clock;
}

const ts = (clock: Bitrix24Clock) => String(Math.floor(clock.now() / 1000));

/**
 * Installs an app on a portal as the portal does (§2.1): issues the admin's tokens and an
 * application_token, POSTs ONAPPINSTALL (with refresh_token) to the app's event URL and opens the
 * install page (the frame POST) at its handler URL. Resolves after both POSTs settled.
 */
export async function installApp(
  deps: InstallDeps,
  portal: Portal,
  app: AppRecord,
  options: InstallOptions = {},
): Promise<InstallResult> {
  const userId = options.userId ?? 1;
  const install: Install = {
    clientId: app.clientId,
    applicationToken: deps.credentials.token().slice(-32),
    installedBy: userId,
    finished: !app.ui || options.finish !== false,
    scope: [...app.scope],
  };
  portal.installs.set(app.clientId, install);
  const auth = deps.apps.authPayload(portal, install, userId, true);
  const result: InstallResult = { install, auth };
  const pending: Promise<void>[] = [];
  if (app.eventHandlerUrl) {
    const body = {
      event: 'ONAPPINSTALL',
      data: { VERSION: '1', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'ru' },
      ts: ts(deps.clock),
      auth,
    };
    pending.push(
      deps.outbox.post(portal, 'ONAPPINSTALL', app.eventHandlerUrl, body).then((o) => {
        result.event = o;
      }),
    );
  }
  const installPage = app.installUrl ?? app.handlerUrl;
  if (installPage && app.ui) {
    pending.push(
      openFrame(deps, portal, app, install, { userId, placement: 'DEFAULT', url: installPage }).then((o) => {
        result.page = o;
      }),
    );
  }
  await Promise.all(pending);
  return result;
}

export interface FrameOptions {
  userId?: number;
  placement?: string;
  placementOptions?: Record<string, unknown>;
  /** Handler URL to open (a placement's); the app's own page by default. */
  url?: string;
}

/** The browser POST that opens the app's page or a placement in the portal's iframe (§2.1a). */
export function openFrame(
  deps: InstallDeps,
  portal: Portal,
  app: AppRecord,
  install: Install,
  options: FrameOptions,
): Promise<number | string> {
  const url = options.url ?? app.handlerUrl;
  if (url === undefined) return Promise.resolve('no handler URL');
  const auth = deps.apps.authPayload(portal, install, options.userId ?? 1, true);
  const endpoint = new URL(portal.clientEndpoint);
  const query = new URLSearchParams({
    DOMAIN: portal.domain,
    PROTOCOL: endpoint.protocol === 'https:' ? '1' : '0',
    LANG: 'ru',
    APP_SID: deps.credentials.token().slice(-32),
  }).toString();
  const body: Record<string, unknown> = {
    AUTH_ID: auth.access_token,
    AUTH_EXPIRES: '3600',
    REFRESH_ID: auth.refresh_token,
    SERVER_ENDPOINT: auth.server_endpoint,
    APPLICATION_TOKEN: install.applicationToken,
    APPLICATION_SCOPE: auth.scope,
    member_id: portal.memberId,
    status: 'L',
    PLACEMENT: options.placement ?? 'DEFAULT',
  };
  if (options.placementOptions) body.PLACEMENT_OPTIONS = JSON.stringify(options.placementOptions);
  return deps.outbox.post(portal, `FRAME:${body.PLACEMENT as string}`, url, body, query);
}

/**
 * Uninstall (§2.1c): the app's tokens stop working and its event handlers and placements are
 * deleted; options survive unless `clean`. ONAPPUNINSTALL (without tokens) goes only to the
 * handlers the app bound with `event.bind`, once installFinish had run — never to the app's
 * registered URL by itself (`api-reference/common/events/on-app-uninstall.md`: "Who can
 * subscribe", and no events before the installation is complete).
 */
export async function uninstallApp(
  deps: InstallDeps,
  portal: Portal,
  app: AppRecord,
  clean = false,
): Promise<void> {
  const install = portal.installs.get(app.clientId);
  if (install === undefined) return;
  const bound = install.finished
    ? portal.eventHandlers.filter(
        (h) => h.clientId === app.clientId && h.event === 'ONAPPUNINSTALL' && !h.offline,
      )
    : [];
  const auth = deps.apps.authPayload(portal, install, undefined, false);
  portal.installs.delete(app.clientId);
  deps.credentials.revoke(portal, app.clientId);
  removeWhere(portal.eventHandlers, (h) => h.clientId === app.clientId);
  removeWhere(portal.placements, (p) => p.clientId === app.clientId);
  portal.offlineQueues.delete(app.clientId);
  if (clean) portal.appOptions.delete(app.clientId);
  await Promise.all(
    bound.map((handler) =>
      deps.outbox.post(portal, 'ONAPPUNINSTALL', handler.handler, {
        event: 'ONAPPUNINSTALL',
        event_handler_id: String(handler.id),
        data: { LANGUAGE_ID: 'ru', CLEAN: clean ? 1 : 0 },
        ts: ts(deps.clock),
        auth,
      }),
    ),
  );
}

function removeWhere<T>(list: T[], predicate: (item: T) => boolean): void {
  for (let i = list.length - 1; i >= 0; i--) if (predicate(list[i] as T)) list.splice(i, 1);
}
