import { z } from 'zod';
import { queryOf, readFormBody } from '../http/form-body.js';
import { escapeHtml, htmlResponse } from '../http/html-page.js';
import { answerAppInstall } from './app-install-event.js';
import { type InstallRefusal, installPortal, type PortalInstallerDeps } from './install-portal.js';

/** The install page POST (BITRIX24.md §2.1a): what the app depends on, the rest ignored. */
const installPostSchema = z.object({
  AUTH_ID: z.string().min(1),
  REFRESH_ID: z.string().min(1),
  SERVER_ENDPOINT: z.string().min(1),
  APPLICATION_TOKEN: z.string().min(1),
  member_id: z.string().min(1).max(64),
});

export interface InstallPageDeps extends PortalInstallerDeps {
  readonly urls: PortalInstallerDeps['urls'] & { readonly settingsPage: string; readonly b24jssdk: string };
}

const refusal = (status: number, message: string) =>
  htmlResponse({ status, title: 'Prozvon', body: `<h1>Prozvon</h1><p>${escapeHtml(message)}</p>` });

const NOT_CONFIRMED = 'Bitrix24 did not confirm this install. Open the app again from the portal.';
const REFUSALS: Record<InstallRefusal, [number, string]> = {
  oauth_host: [400, 'This portal’s OAuth server is not one Prozvon may use.'],
  not_confirmed: [401, NOT_CONFIRMED],
  portal_mismatch: [401, NOT_CONFIRMED],
  bind_failed: [502, 'Prozvon could not finish connecting to your portal. Please open the app again.'],
};

/**
 * The app's install page: the portal POSTs the installing administrator's tokens here, and the
 * portal is installed as ONAPPINSTALL installs it (install-portal.ts: nothing believed until the
 * OAuth server vouches for the refresh token). Then the page finishes the install in the browser
 * through B24Frame's `installFinish` — until then the portal delivers no events (§2.2).
 */
export function createInstallPage(deps: InstallPageDeps) {
  return async (request: Request): Promise<Response> => {
    if (request.method !== 'POST') {
      return refusal(200, 'Prozvon is installed from your Bitrix24 portal: Applications → Prozvon.');
    }
    const form = await readFormBody(request);
    if (!form.ok) return form.response;
    // A UI-less local app gets ONAPPINSTALL at its install path, not a frame POST (§2.1b).
    if (String(form.fields.event ?? '').toUpperCase() === 'ONAPPINSTALL') {
      return answerAppInstall(
        (claim) => installPortal(deps, claim, 'ONAPPINSTALL'),
        form.fields.auth,
        deps.logger,
      );
    }
    const parsed = installPostSchema.safeParse(form.fields);
    const domain = queryOf(request).DOMAIN?.toLowerCase() ?? '';
    if (!parsed.success || domain === '') {
      const fields = parsed.success ? ['DOMAIN'] : parsed.error.issues.map((issue) => issue.path.join('.'));
      return refusal(400, `This is not a Bitrix24 install request (missing: ${fields.join(', ')}).`);
    }
    const post = parsed.data;
    const outcome = await installPortal(
      deps,
      {
        memberId: post.member_id,
        domain,
        serverEndpoint: post.SERVER_ENDPOINT,
        refreshToken: post.REFRESH_ID,
        applicationToken: post.APPLICATION_TOKEN,
      },
      'install_page',
    );
    if (!outcome.ok) return refusal(...REFUSALS[outcome.reason]);
    return htmlResponse({
      title: 'Prozvon — installing',
      body: `<h1>Prozvon</h1><p id="status">Finishing the installation…</p>
<p>Then open <a href="${escapeHtml(deps.urls.settingsPage)}">the settings</a> to connect your telephony and texts.</p>`,
      scripts: [deps.urls.b24jssdk],
      script: INSTALL_FINISH_SCRIPT,
    });
  };
}

/**
 * Runs in the portal's frame: B24Frame's installFinish makes the portal deliver events and show
 * the lead tab (§2.2). Outside a portal initializeB24Frame rejects, and the page says so.
 */
const INSTALL_FINISH_SCRIPT = `
const status = document.getElementById('status');
try {
  const b24 = await B24Js.initializeB24Frame();
  await b24.installFinish();
  status.textContent = 'Prozvon is installed.';
} catch (error) {
  status.textContent = 'Open this page from your Bitrix24 portal to finish the installation (' + (error && error.message || error) + ').';
}`;
