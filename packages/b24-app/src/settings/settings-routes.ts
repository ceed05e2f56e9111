import type { Portal, PortalSettings } from '../portals/portal-store.js';
import { apiError, apiOk, readValid } from './api-response.js';
import type { FrameSession } from './frame-auth.js';
import { SECRET_NAMES } from './portal-providers.js';
import type { SettingsApiDeps } from './settings-api-deps.js';
import { type SettingsPut, settingsPutSchema } from './settings-input.js';
import { settingsView } from './settings-view.js';

/** `GET /api/portal/settings`: any user of the portal (the page shows it; every secret masked). */
export async function getSettings(deps: SettingsApiDeps, session: FrameSession): Promise<Response> {
  const portal = (await deps.portals.getByMemberId(session.portal.memberId)) ?? session.portal;
  const history = await deps.portals.settingsHistory(portal.memberId);
  return apiOk(settingsView(portal, history, deps.defaults, deps.urls, deps.now()));
}

/**
 * `PUT /api/portal/settings` (admins): validates the whole body first and writes nothing when a
 * field is wrong (400 `invalid_settings`, one issue per field); then one store write, recorded as
 * the user's change, and the portal's tenant forgotten so the next decision uses it.
 */
export async function putSettings(
  deps: SettingsApiDeps,
  session: FrameSession,
  request: Request,
): Promise<Response> {
  const parsed = await readValid(request, settingsPutSchema);
  if (!parsed.ok) return parsed.response;
  const portal = (await deps.portals.getByMemberId(session.portal.memberId)) ?? session.portal;
  const at = deps.now();
  const written = await deps.portals.updateSettings(
    portal.memberId,
    { settings: nextSettings(portal, parsed.data), secrets: secretChanges(parsed.data) },
    { by: session.by, at },
  );
  if (!written) return apiError(404, 'not_found');
  deps.forget(portal.memberId);
  deps.logger.info(
    { memberId: portal.memberId, by: session.by, audit: 'settings_changed' },
    'settings changed',
  );
  return getSettings(deps, session);
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
