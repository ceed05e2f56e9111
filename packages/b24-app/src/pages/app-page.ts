import { escapeHtml, htmlResponse } from '../http/html-page.js';
import type { PortalStore } from '../portals/portal-store.js';
import { type BuiltPages, type PageName, pageResponse } from './built-pages.js';
import { readFrameOpen } from './frame-post.js';

export interface AppPageDeps {
  readonly portals: PortalStore;
  /** The Vite build of the pages; null when it has not run (the page says so). */
  readonly pages: BuiltPages | null;
}

/**
 * One of the app's pages in the portal (settings, the lead tab, the dashboard), served on GET and
 * POST (the portal opens pages with a POST). A POST naming a portal is believed only when its
 * APPLICATION_TOKEN is that portal's (frame-post.ts): a forged one gets 401 and no page. The page
 * itself talks to the API with the user's own token from B24Frame; opened outside a portal it
 * says so (the Vue page finds no parent frame).
 */
export function createAppPage(name: PageName, deps: AppPageDeps) {
  return async (request: Request): Promise<Response> => {
    if (request.method === 'POST') {
      const open = await readFrameOpen(request, deps.portals);
      if (!open.ok && open.reason !== 'outside_portal') {
        return htmlResponse({
          status: open.status,
          title: 'Prozvon',
          body: `<h1>Prozvon</h1><p>${escapeHtml('This page was not opened by a portal Prozvon is installed in.')}</p>`,
        });
      }
    }
    const html = deps.pages?.html.get(name);
    if (html === undefined) {
      return htmlResponse({
        status: 503,
        title: 'Prozvon',
        body: `<h1>Prozvon</h1><p>${escapeHtml('The app’s pages are not built: run `npm run build`.')}</p>`,
      });
    }
    return pageResponse(html);
  };
}
