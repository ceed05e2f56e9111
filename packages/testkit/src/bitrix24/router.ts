import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { type Faults, sendInjected } from '../core/faults.js';
import { sendJson } from '../core/read-body.js';
import { sendHtml } from '../core/state-page.js';

type Handler = (req: IncomingMessage, res: ServerResponse, path: string, query: string) => Promise<void>;

export interface Routes {
  faults: Faults;
  /** `GET /`: the human-readable state page. */
  statePage: () => string;
  /** `/oauth/token/`. */
  oauth: Handler;
  /** `/rest/…`. */
  rest: Handler;
  /** `/frame/<sid>…`: the portal page around an app iframe. */
  frame: Handler;
}

/**
 * The simulator's one request listener, shared by the HTTPS and HTTP servers. Faults apply to
 * every route but the state page, so a demo can still show what happened during an outage.
 */
export function createRouter(routes: Routes): RequestListener {
  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    // The SDK joins `clientEndpoint` ending in `/` with the method: `/rest//crm.lead.add` (§8).
    const bare = q < 0 ? raw : raw.slice(0, q);
    const path = bare.includes('//') ? bare.replace(/\/{2,}/g, '/') : bare;
    const query = q < 0 ? '' : raw.slice(q + 1);
    if (path === '/' && req.method === 'GET') {
      sendHtml(res, routes.statePage());
      return;
    }
    const fault = routes.faults.armed ? await routes.faults.next() : undefined;
    if (fault !== undefined) {
      req.resume();
      sendInjected(res, fault);
      return;
    }
    if (path === '/oauth/token/' || path === '/oauth/token') return routes.oauth(req, res, path, query);
    if (path.startsWith('/rest/')) return routes.rest(req, res, path, query);
    if (path.startsWith('/frame/')) return routes.frame(req, res, path, query);
    req.resume();
    sendJson(res, 404, { error: 'NOT_FOUND', error_description: `Nothing at ${path}` });
  }

  return (req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, { error: 'INTERNAL_SERVER_ERROR', error_description: String(error) });
      else res.destroy();
    });
  };
}
