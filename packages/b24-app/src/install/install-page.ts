import type { Logger } from '@prozvon/sdk';
import { z } from 'zod';
import type { PortalRestSource } from '../b24/portal-rest.js';
import { queryOf, readFormBody } from '../http/form-body.js';
import { escapeHtml, htmlResponse } from '../http/html-page.js';
import { OAuthRefusal, type RefreshedPair, requestTokenRefresh } from '../oauth/oauth-token-request.js';
import type { PortalStore } from '../portals/portal-store.js';
import { type AppUrls, bindPortal } from './bindings.js';
import { isAllowedOAuthServer } from './oauth-hosts.js';
import { ensurePortalSecrets } from './portal-secrets.js';

/** The install page POST (BITRIX24.md §2.1a): what the app depends on, the rest ignored. */
const installPostSchema = z.object({
  AUTH_ID: z.string().min(1),
  REFRESH_ID: z.string().min(1),
  SERVER_ENDPOINT: z.string().min(1),
  APPLICATION_TOKEN: z.string().min(1),
  member_id: z.string().min(1).max(64),
});

export interface InstallPageDeps {
  readonly portals: PortalStore;
  readonly rest: PortalRestSource;
  readonly app: {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly oauthHosts: readonly string[];
  };
  readonly urls: AppUrls & { readonly settingsPage: string; readonly b24jssdk: string };
  readonly now: () => number;
  readonly logger: Logger;
  /** After a portal is installed (a first install or again): the tenant cache forgets it. */
  readonly onInstalled?: (memberId: string) => void;
}

const refusal = (status: number, message: string) =>
  htmlResponse({ status, title: 'Prozvon', body: `<h1>Prozvon</h1><p>${escapeHtml(message)}</p>` });

/**
 * The app's install page: the portal POSTs the installing administrator's tokens here. Nothing in
 * the POST is believed until the OAuth server has vouched for it: its refresh token is exchanged at
 * an allowed OAuth host, and the answer must name the same portal (`member_id`) and domain. Then
 * the portal is stored (a second install updates it), its events and placements are bound, and the
 * page finishes the install in the browser through B24Frame's `installFinish` — until then the
 * portal delivers no events (§2.2).
 */
export function createInstallPage(deps: InstallPageDeps) {
  return async (request: Request): Promise<Response> => {
    if (request.method !== 'POST') {
      return refusal(200, 'Prozvon is installed from your Bitrix24 portal: Applications → Prozvon.');
    }
    const form = await readFormBody(request);
    if (!form.ok) return form.response;
    const parsed = installPostSchema.safeParse(form.fields);
    const domain = queryOf(request).DOMAIN?.toLowerCase() ?? '';
    if (!parsed.success || domain === '') {
      const fields = parsed.success ? ['DOMAIN'] : parsed.error.issues.map((issue) => issue.path.join('.'));
      return refusal(400, `This is not a Bitrix24 install request (missing: ${fields.join(', ')}).`);
    }
    const post = parsed.data;
    const log = deps.logger.child({ memberId: post.member_id, domain });
    if (!isAllowedOAuthServer(post.SERVER_ENDPOINT, deps.app.oauthHosts)) {
      log.warn(
        { audit: 'install_refused', reason: 'oauth_host' },
        'install refused: OAuth server not allowed',
      );
      return refusal(400, 'This portal’s OAuth server is not one Prozvon may use.');
    }
    let granted: RefreshedPair;
    try {
      granted = await requestTokenRefresh(post.SERVER_ENDPOINT, deps.app, post.REFRESH_ID, deps.now());
    } catch (error) {
      const code = error instanceof OAuthRefusal ? error.code : 'unreachable';
      log.warn({ audit: 'install_refused', reason: code }, 'install refused: tokens not confirmed');
      return refusal(401, 'Bitrix24 did not confirm this install. Open the app again from the portal.');
    }
    const endpointHost =
      granted.clientEndpoint === undefined ? '' : new URL(granted.clientEndpoint).host.toLowerCase();
    if (
      granted.memberId !== post.member_id ||
      endpointHost !== domain ||
      granted.clientEndpoint === undefined
    ) {
      log.warn(
        { audit: 'install_refused', reason: 'portal_mismatch' },
        'install refused: tokens of another portal',
      );
      return refusal(401, 'Bitrix24 did not confirm this install. Open the app again from the portal.');
    }
    const at = deps.now();
    const { created } = await deps.portals.upsertInstall({
      memberId: post.member_id,
      domain: endpointHost,
      serverEndpoint: granted.serverEndpoint ?? post.SERVER_ENDPOINT,
      clientEndpoint: granted.clientEndpoint,
      applicationToken: post.APPLICATION_TOKEN,
      tokens: {
        accessToken: granted.accessToken,
        refreshToken: granted.refreshToken,
        expiresAt: granted.expiresAt,
      },
      status: 'installing',
      at,
    });
    await ensurePortalSecrets(deps.portals, post.member_id, at);
    try {
      await bindPortal(await deps.rest.forPortal(post.member_id), deps.urls);
    } catch (error) {
      log.error({ err: error, audit: 'install_failed' }, 'install: binding events failed');
      return refusal(502, 'Prozvon could not finish connecting to your portal. Please open the app again.');
    }
    await deps.portals.setStatus(post.member_id, 'active', deps.now());
    deps.onInstalled?.(post.member_id);
    log.info(
      { audit: created ? 'installed' : 'reinstalled' },
      created ? 'portal installed' : 'portal installed again',
    );
    return htmlResponse({
      title: 'Prozvon — installing',
      body: `<h1>Prozvon</h1><p id="status">Finishing the installation…</p>
<p>Then open <a href="${escapeHtml(deps.urls.settingsPage)}">the settings</a> to connect your telephony and texts.</p>`,
      scripts: [deps.urls.b24jssdk],
      script: installFinishScript(deps.urls.settingsPage),
    });
  };
}

/**
 * Runs in the portal's frame: B24Frame's installFinish makes the portal deliver events and show
 * the lead tab (§2.2); then the frame goes on to the settings page, where the shop owner's work
 * starts (the portal would reload the frame with the app's page too). Outside a portal
 * initializeB24Frame rejects, and the page says so.
 */
function installFinishScript(settingsPage: string): string {
  return `
const status = document.getElementById('status');
try {
  const b24 = await B24Js.initializeB24Frame();
  if (b24.isInstallMode) await b24.installFinish();
  status.textContent = 'Prozvon is installed. Opening the settings…';
  location.assign(${JSON.stringify(settingsPage).replace(/</g, '\\u003c')});
} catch (error) {
  status.textContent = 'Open this page from your Bitrix24 portal to finish the installation (' + (error && error.message || error) + ').';
}`;
}
