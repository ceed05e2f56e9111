import { tenantConfigSchema } from '@prozvon/sdk';
import type { Portal, SettingsChange } from '../portals/portal-store.js';
import { mask } from '../portals/secrets.js';
import type { OperatorDefaults } from '../tenants/operator-defaults.js';
import { readProviders, SECRET_NAMES } from './portal-providers.js';

/** Where a provider account comes from: the portal's own, the operator's default, or none. */
export type ProviderSource = 'portal' | 'operator' | 'none';

export interface SettingsUrls {
  readonly intake: (portalKey: string) => string;
  /** The Corezoid drop-in URL with `secret` as its last segment. */
  readonly corezoid: (portalKey: string, secret: string) => string;
}

/**
 * `GET /api/portal/settings`: what the settings page shows. Settings as they apply (defaults
 * filled), each secret only masked (`••••1234`) with which account is in use, the portal's URLs
 * (the secret in the Corezoid URL masked too), and who changed the settings when. No value here
 * is a secret in clear: the page is shown to every user the portal lets open the app.
 */
export function settingsView(
  portal: Portal,
  history: readonly SettingsChange[],
  defaults: OperatorDefaults,
  urls: SettingsUrls,
  now: number,
) {
  const secrets = portal.secrets;
  const providers = readProviders(portal.settings.providers);
  const tenant = tenantConfigSchema.safeParse(portal.settings.tenant);
  const ownVox = providers.voximplant !== undefined && secrets[SECRET_NAMES.voximplantKey] !== undefined;
  const ownSms = secrets[SECRET_NAMES.smsProviders];
  const previousUntil = Number(secrets[SECRET_NAMES.intakePreviousUntil] ?? Number.NaN);
  const ownTelegram = providers.telegram !== undefined && secrets[SECRET_NAMES.telegramToken] !== undefined;
  return {
    portal: { memberId: portal.memberId, domain: portal.domain, status: portal.status },
    /** What a PUT sends back in `If-Match` (also the answer's ETag): the settings as read here. */
    version: portal.settingsVersion,
    tenant: tenant.success ? tenant.data : tenantConfigSchema.parse({}),
    /** False when the stored tenant config no longer parses: the portal runs on the defaults. */
    tenantValid: tenant.success,
    providers,
    secrets: {
      intake: {
        secret: mask(secrets[SECRET_NAMES.intake]),
        previousValidUntil:
          Number.isFinite(previousUntil) && previousUntil > now && secrets[SECRET_NAMES.intakePrevious]
            ? previousUntil
            : null,
      },
      voximplant: {
        source: (ownVox ? 'portal' : defaults.voximplant ? 'operator' : 'none') as ProviderSource,
        privateKey: ownVox ? mask(secrets[SECRET_NAMES.voximplantKey]) : null,
      },
      sms: {
        source: (ownSms !== undefined
          ? 'portal'
          : defaults.sms?.length
            ? 'operator'
            : 'none') as ProviderSource,
        // The portal's own gateways, every string masked; the operator's are not the portal's to see.
        providers: ownSms === undefined ? [] : maskedSmsProviders(ownSms),
      },
      telegram: {
        source: (ownTelegram ? 'portal' : 'none') as ProviderSource,
        botToken: mask(secrets[SECRET_NAMES.telegramToken]),
      },
    },
    urls: {
      intake: urls.intake(portal.portalKey),
      corezoid: urls.corezoid(portal.portalKey, mask(secrets[SECRET_NAMES.intake]) ?? '••••'),
    },
    changed:
      portal.settingsChangedBy === null || portal.settingsChangedAt === null
        ? null
        : { by: portal.settingsChangedBy, at: portal.settingsChangedAt },
    history: history.slice(0, 20),
  };
}

function maskedSmsProviders(stored: string): { kind: string; config: unknown }[] {
  try {
    const list: unknown = JSON.parse(stored);
    if (!Array.isArray(list)) return [];
    return list.map((entry: { kind?: unknown; config?: unknown }) => ({
      kind: String(entry?.kind ?? ''),
      config: maskStrings(entry?.config),
    }));
  } catch {
    return [];
  }
}

/** Every string masked, numbers and booleans kept: a gateway's config holds its keys. */
function maskStrings(value: unknown): unknown {
  if (typeof value === 'string') return mask(value) ?? '';
  if (Array.isArray(value)) return value.map(maskStrings);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskStrings(v)]));
  return value;
}
