import { escapeHtml, htmlResponse } from '../http/html-page.js';
import type { PortalStore } from '../portals/portal-store.js';
import { mask } from '../portals/secrets.js';
import { SECRET_NAMES } from '../settings/portal-providers.js';
import { readFrameOpen } from './frame-post.js';

export interface AppPageDeps {
  readonly portals: PortalStore;
  readonly intakeUrl: (portalKey: string) => string;
  readonly corezoidUrl: (portalKey: string) => string;
}

const OUTSIDE = 'This is Prozvon’s page inside Bitrix24. Open it from your portal: Applications → Prozvon.';

/**
 * The app's own page in the portal: until the settings page (its Vue build) replaces it, it shows
 * what a shop needs to connect its site — the intake URL, the Corezoid-compatible URL and the
 * masked secret — and the portal's status. Opened outside a portal it says so plainly.
 */
export function createAppPage(deps: AppPageDeps) {
  return async (request: Request): Promise<Response> => {
    const open = await readFrameOpen(request, deps.portals);
    if (!open.ok) {
      return htmlResponse({
        status: open.status,
        title: 'Prozvon',
        body: `<h1>Prozvon</h1><p>${escapeHtml(OUTSIDE)}</p>`,
      });
    }
    const { portal } = open;
    const secret = portal.secrets[SECRET_NAMES.intake];
    const rows = [
      ['Portal', portal.domain],
      ['Status', portal.status],
      ['Intake URL (POST JSON, header Authorization: Bearer <secret>)', deps.intakeUrl(portal.portalKey)],
      ['Corezoid-compatible URL', deps.corezoidUrl(portal.portalKey).replace(/[^/]+$/, '<secret>')],
      ['Intake secret', secret === undefined ? 'not set' : mask(secret)],
    ];
    const table = rows
      .map(
        ([name, value]) =>
          `<tr><th align="left">${escapeHtml(name ?? '')}</th><td><code>${escapeHtml(value ?? '')}</code></td></tr>`,
      )
      .join('');
    return htmlResponse({ title: 'Prozvon', body: `<h1>Prozvon</h1><table>${table}</table>` });
  };
}
