import { jsonResponse } from '@prozvon/sdk';
import type { Portal, PortalSettings } from '../portals/portal-store.js';
import { apiError, apiOk, readValid } from './api-response.js';
import type { FrameSession } from './frame-auth.js';
import { SECRET_NAMES } from './portal-providers.js';
import type { SettingsApiDeps } from './settings-api-deps.js';
import { type SettingsIssue, type SettingsPut, settingsPutSchema } from './settings-input.js';
import { settingsView } from './settings-view.js';
import { type SmsOutbound, smsBaseUrlProblem } from './sms-hosts.js';

/**
 * `GET /api/portal/settings`: any user of the portal (the page shows it; every secret masked).
 * The settings' version is the body's `version` and the answer's `ETag` (`"<version>"`).
 */
export async function getSettings(deps: SettingsApiDeps, session: FrameSession): Promise<Response> {
  const view = await currentView(deps, session.portal.memberId);
  if (view === null) return apiError(404, 'not_found');
  return apiOk(view, 200, { etag: etagOf(view.version) });
}

/**
 * `PUT /api/portal/settings` (admins). The page sends back the version it read as
 * `If-Match: "<version>"` (the GET's ETag; the bare number is taken too): without it 428
 * `precondition_required`; when another admin saved in between, 409 `settings_changed` with
 * `current`, the settings as they are now (and their ETag), and nothing written — the page shows
 * them and the admin saves again. `If-Match: *` overwrites whatever is there, knowingly. Then
 * the whole body is validated before anything is written (400 `invalid_settings`, one issue per
 * field); one store write, recorded as the user's change, at that version only; the portal's
 * tenant forgotten so the next decision uses it.
 */
export async function putSettings(
  deps: SettingsApiDeps,
  session: FrameSession,
  request: Request,
): Promise<Response> {
  const match = ifMatchOf(request);
  if (match === 'missing') {
    return apiError(428, 'precondition_required', {
      field: 'If-Match',
      message: 'send If-Match with the settings version you read (the ETag of GET /api/portal/settings)',
    });
  }
  if (match === 'invalid') {
    return apiError(400, 'invalid_request', {
      issues: [
        { path: 'If-Match', message: 'expected the ETag of GET /api/portal/settings, e.g. "3", or *' },
      ],
    });
  }
  const parsed = await readValid(request, settingsPutSchema);
  if (!parsed.ok) return parsed.response;
  const outbound = [...smsIssues(parsed.data, deps.sms), ...apiAddressIssues(parsed.data, deps)];
  if (outbound.length > 0) return apiError(400, 'invalid_settings', { issues: outbound });
  const portal = await deps.portals.getByMemberId(session.portal.memberId);
  if (portal === null) return apiError(404, 'not_found');
  const expectedVersion = match === 'any' ? portal.settingsVersion : match;
  const at = deps.now();
  const written =
    portal.settingsVersion === expectedVersion &&
    (await deps.portals.updateSettings(
      portal.memberId,
      { settings: nextSettings(portal, parsed.data), secrets: secretChanges(parsed.data), expectedVersion },
      { by: session.by, at },
    ));
  if (!written) {
    const current = await currentView(deps, portal.memberId);
    if (current === null) return apiError(404, 'not_found');
    deps.logger.info(
      { memberId: portal.memberId, by: session.by, audit: 'settings_conflict', expectedVersion },
      'settings not saved: changed since they were read',
    );
    return jsonResponse(
      409,
      {
        error: 'settings_changed',
        message: 'another administrator saved the settings after you opened them',
        current,
      },
      { etag: etagOf(current.version) },
    );
  }
  deps.forget(portal.memberId);
  deps.logger.info(
    { memberId: portal.memberId, by: session.by, audit: 'settings_changed' },
    'settings changed',
  );
  return getSettings(deps, session);
}

async function currentView(deps: SettingsApiDeps, memberId: string) {
  const portal = await deps.portals.getByMemberId(memberId);
  if (portal === null) return null;
  const history = await deps.portals.settingsHistory(memberId);
  return settingsView(portal, history, deps.defaults, deps.urls, deps.now());
}

const etagOf = (version: number) => `"${version}"`;

/** `If-Match`: one version (`"3"`, `W/"3"` or `3`), `*`, or what is wrong with it. */
function ifMatchOf(request: Request): number | 'any' | 'missing' | 'invalid' {
  const header = request.headers.get('if-match');
  if (header === null || header.trim() === '') return 'missing';
  if (header.trim() === '*') return 'any';
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(header.trim());
  return match?.[1] === undefined ? 'invalid' : Number(match[1]);
}

/** Each SMS gateway whose base URL is not one the app may send to, by field (sms-hosts.ts). */
function smsIssues(put: SettingsPut, outbound: SmsOutbound): SettingsIssue[] {
  const issues: SettingsIssue[] = [];
  for (const [index, provider] of (put.secrets?.smsProviders ?? []).entries()) {
    const problem = smsBaseUrlProblem(provider.kind, provider.config.baseUrl, outbound);
    if (problem !== null) {
      issues.push({ path: `secrets.smsProviders.${index}.config.baseUrl`, message: problem });
    }
  }
  return issues;
}

/**
 * A provider's API address set through the settings (Voximplant's `apiBase`, Telegram's
 * `apiRoot`): only one the operator allowed, as the Voximplant connect route does — the app would
 * otherwise send the portal's signed requests or its bot token wherever the form said.
 */
function apiAddressIssues(put: SettingsPut, deps: SettingsApiDeps): SettingsIssue[] {
  const listed = (allowed: readonly string[], url: string) =>
    allowed.some((entry) => entry.replace(/\/+$/, '') === url.replace(/\/+$/, ''));
  const issues: SettingsIssue[] = [];
  const apiBase = put.providers?.voximplant?.apiBase;
  if (apiBase !== undefined && !listed(deps.voximplant.apiBases, apiBase)) {
    issues.push({
      path: 'providers.voximplant.apiBase',
      message: 'this Voximplant API address is not allowed here',
    });
  }
  const apiRoot = put.providers?.telegram?.apiRoot;
  if (apiRoot !== undefined && !listed(deps.telegramApiRoots, apiRoot)) {
    issues.push({
      path: 'providers.telegram.apiRoot',
      message: 'this Telegram Bot API address is not allowed here',
    });
  }
  return issues;
}

function nextSettings(portal: Portal, put: SettingsPut): PortalSettings {
  const providers: Record<string, unknown> = { ...portal.settings.providers };
  for (const [section, value] of Object.entries(put.providers ?? {})) {
    if (value === undefined) continue;
    if (value === null) delete providers[section];
    else providers[section] = value;
  }
  // The gateways' order is in the secret; the providers name their kinds for the page.
  const sms = put.secrets?.smsProviders;
  if (sms === null) delete providers.sms;
  else if (sms !== undefined) providers.sms = { kinds: sms.map((provider) => provider.kind) };
  return { tenant: put.tenant ?? portal.settings.tenant, providers };
}

function secretChanges(put: SettingsPut): Record<string, string | null> {
  const changes: Record<string, string | null> = {};
  const { smsProviders, telegramBotToken, voximplantPrivateKey } = put.secrets ?? {};
  if (smsProviders !== undefined)
    changes[SECRET_NAMES.smsProviders] = smsProviders === null ? null : JSON.stringify(smsProviders);
  if (telegramBotToken !== undefined) changes[SECRET_NAMES.telegramToken] = telegramBotToken;
  if (voximplantPrivateKey !== undefined) changes[SECRET_NAMES.voximplantKey] = voximplantPrivateKey;
  return changes;
}
