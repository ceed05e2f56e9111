import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../core/read-body.js';
import { escapeHtml, sendHtml } from '../core/state-page.js';
import type { AppRecord, Apps } from './apps.js';
import type { Bitrix24Clock } from './clock.js';
import type { Credentials } from './credentials.js';
import type { Portal } from './portal.js';

export interface FrameSessionOptions {
  userId?: number;
  placement?: string;
  placementOptions?: Record<string, unknown>;
  /** The page to open; the app's handler URL by default (a placement's handler for widgets). */
  url?: string;
}

interface FrameSession {
  sid: string;
  portal: Portal;
  app: AppRecord;
  userId: number;
  placement: string;
  placementOptions: Record<string, unknown>;
  url: string;
  accessToken: string;
  refreshToken: string;
  firstRun: boolean;
}

export interface FrameCommand {
  sid: string;
  command: string;
  params: string;
}

export interface FrameDeps {
  apps: Apps;
  credentials: Credentials;
  clock: Bitrix24Clock;
  /** `https://127.0.0.1:<port>`: the page must come from the portal's origin, the child checks it. */
  origin: () => string;
}

const json = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * The portal page around an app's iframe, for browser tests of b24jssdk's B24Frame (§6, §9.8):
 * it POSTs the frame form into an iframe named `DOMAIN|1|APP_SID` and answers the frame's
 * `command:params:key:sid` messages with `key:JSON`, delegating each to `POST /frame/<sid>/command`
 * so what the frame asked for is recorded on the server (`frameCommands`).
 */
export class Frames {
  readonly #sessions = new Map<string, FrameSession>();
  readonly commands: FrameCommand[] = [];
  readonly #deps: FrameDeps;

  constructor(deps: FrameDeps) {
    this.#deps = deps;
  }

  /** A portal page that opens the app; returns its URL. */
  open(portal: Portal, app: AppRecord, options: FrameSessionOptions = {}): string {
    const install = portal.installs.get(app.clientId);
    if (install === undefined) throw new Error(`${app.clientId} is not installed on ${portal.key}`);
    const url = options.url ?? app.handlerUrl;
    if (url === undefined) throw new Error(`${app.clientId} has no handler URL`);
    const userId = options.userId ?? 1;
    const tokens = this.#deps.credentials.issue(
      portal,
      app.clientId,
      userId,
      app.scope,
      this.#deps.clock.now(),
    );
    const sid = this.#deps.credentials.token().slice(-32);
    this.#sessions.set(sid, {
      sid,
      portal,
      app,
      userId,
      placement: options.placement ?? 'DEFAULT',
      placementOptions: options.placementOptions ?? {},
      url,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      firstRun: !install.finished,
    });
    return `${this.#deps.origin()}/frame/${sid}`;
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const [, , sid = '', action] = path.split('/');
    const session = this.#sessions.get(sid);
    if (session === undefined) {
      req.resume();
      sendJson(res, 404, { error: 'NOT_FOUND', error_description: 'No such frame session' });
      return;
    }
    if (action === undefined && req.method === 'GET') {
      sendHtml(res, this.#page(session));
      return;
    }
    if (action === 'command' && req.method === 'POST') {
      const body = await readBody(req);
      const { command = '', params = '' } = (body.json ?? {}) as { command?: string; params?: string };
      this.commands.push({ sid, command, params });
      sendJson(res, 200, { result: this.#answer(session, command, params) });
      return;
    }
    req.resume();
    sendJson(res, 405, { error: 'METHOD_NOT_ALLOWED', error_description: `${req.method} ${path}` });
  }

  #install(session: FrameSession) {
    return session.portal.installs.get(session.app.clientId);
  }

  #initData(session: FrameSession): Record<string, unknown> {
    const { portal } = session;
    const install = this.#install(session);
    return {
      AUTH_ID: session.accessToken,
      REFRESH_ID: session.refreshToken,
      AUTH_EXPIRES: '3600',
      DOMAIN: portal.domain,
      PROTOCOL: 1,
      PATH: `/marketplace/app/${session.app.id}/`,
      LANG: 'ru',
      MEMBER_ID: portal.memberId,
      IS_ADMIN: portal.users.get(session.userId)?.ADMIN === true,
      APP_OPTIONS: portal.appOptions.get(session.app.clientId) ?? {},
      USER_OPTIONS: {},
      PLACEMENT: session.placement,
      PLACEMENT_OPTIONS: session.placementOptions,
      INSTALL: install?.finished === false,
      FIRST_RUN: session.firstRun,
    };
  }

  /** What the parent window answers to each command; null = a bare acknowledgement. */
  #answer(session: FrameSession, command: string, params: string): unknown {
    switch (command) {
      case 'getInitData':
        return this.#initData(session);
      case 'refreshAuth': {
        const { portal, app, userId } = session;
        const tokens = this.#deps.credentials.issue(
          portal,
          app.clientId,
          userId,
          app.scope,
          this.#deps.clock.now(),
        );
        session.accessToken = tokens.accessToken;
        session.refreshToken = tokens.refreshToken;
        return { AUTH_ID: tokens.accessToken, REFRESH_ID: tokens.refreshToken, AUTH_EXPIRES: '3600' };
      }
      case 'setInstall':
        session.firstRun = false;
        return null;
      case 'setInstallFinish': {
        const install = this.#install(session);
        if (install) install.finished = true;
        return null;
      }
      case 'setAppOption': {
        const { name, value } = parseParams(params);
        if (typeof name === 'string') {
          const options = session.portal.appOptions.get(session.app.clientId) ?? {};
          session.portal.appOptions.set(session.app.clientId, { ...options, [name]: value });
        }
        return null;
      }
      default:
        return null;
    }
  }

  #page(session: FrameSession): string {
    const { portal } = session;
    const data = this.#initData(session);
    const query = new URLSearchParams({
      DOMAIN: portal.domain,
      PROTOCOL: '1',
      LANG: 'ru',
      APP_SID: session.sid,
    });
    const action = `${session.url}${session.url.includes('?') ? '&' : '?'}${query}`;
    const fields: Record<string, string> = {
      AUTH_ID: session.accessToken,
      AUTH_EXPIRES: '3600',
      REFRESH_ID: session.refreshToken,
      SERVER_ENDPOINT: `${this.#deps.origin()}/rest/`,
      APPLICATION_TOKEN: this.#install(session)?.applicationToken ?? '',
      APPLICATION_SCOPE: session.app.scope.join(','),
      member_id: portal.memberId,
      status: 'L',
      PLACEMENT: session.placement,
      PLACEMENT_OPTIONS: JSON.stringify(data.PLACEMENT_OPTIONS),
    };
    const inputs = Object.entries(fields)
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join('');
    const frameName = `${portal.domain}|1|${session.sid}`;
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bitrix24 simulator: ${escapeHtml(session.app.name)}</title></head>
<body style="margin:0">
<form id="open" method="POST" action="${escapeHtml(action)}" target="${escapeHtml(frameName)}">${inputs}</form>
<iframe name="${escapeHtml(frameName)}" id="app" style="width:100%;height:100vh;border:0"></iframe>
<script>
const sid = ${json(session.sid)};
const appOrigin = ${json(new URL(session.url).origin)};
window.addEventListener('message', async (event) => {
  if (event.origin !== appOrigin || typeof event.data !== 'string') return;
  const parts = event.data.split(':');
  if (parts.length < 3 || parts[parts.length - 1] !== sid) return;
  const key = parts[parts.length - 2];
  const body = JSON.stringify({ command: parts[0], params: parts.slice(1, -2).join(':') });
  const response = await fetch(location.pathname + '/command', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const { result } = await response.json();
  event.source.postMessage(result === null ? key : key + ':' + JSON.stringify(result), appOrigin);
});
document.getElementById('open').submit();
</script>
</body></html>
`;
  }
}

function parseParams(params: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(params);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
