import { type Bitrix24CrmOptions, createBitrix24Crm } from '@prozvon/adapters-bitrix24';
import { createSmsPort, SmsProviderSettings } from '@prozvon/adapters-sms';
import { createTelegramNotifier } from '@prozvon/adapters-telegram';
import { createVoximplantVoice } from '@prozvon/adapters-voximplant';
import {
  type Logger,
  type PendingCallStore,
  type Tenant,
  type TenantConfig,
  type TenantRegistry,
  type TenantStatus,
  tenantConfigSchema,
} from '@prozvon/sdk';
import { z } from 'zod';
import type { Portal, PortalStatus, PortalStore } from '../portals/portal-store.js';
import { type PortalProviders, readProviders, SECRET_NAMES } from '../settings/portal-providers.js';
import { type SmsOutbound, smsBaseUrlProblem } from '../settings/sms-hosts.js';
import type { OperatorDefaults } from './operator-defaults.js';
import {
  reinstallNeededCrm,
  unconfiguredNotifier,
  unconfiguredSms,
  unconfiguredVoice,
} from './unconfigured-ports.js';

export interface PortalTenantsDeps {
  readonly portals: PortalStore;
  /** The voice adapter keeps each call's plan here: the lead store. */
  readonly pendingCalls: PendingCallStore;
  readonly defaults: OperatorDefaults;
  /** The CRM adapter's `auth` for a portal: the portal's one client, shared with the app's calls. */
  readonly crmAuth: (portal: Portal) => Bitrix24CrmOptions['auth'];
  /** `https://app.example.com/voice/<portalKey>`: where the portal's voice results come back. */
  readonly voiceCallbackUrl: (portal: Portal) => string;
  /**
   * Where a portal's own SMS gateways may be: a stored one elsewhere (saved before the settings
   * API checked it) is not used. Every gateway's own host only, when absent.
   */
  readonly sms?: SmsOutbound;
  readonly logger: Logger;
  /** How long a built tenant is used without reading the portal again (other instances' edits). */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

/** Distinct settings whose config is kept for sharing (a config in use stays alive through its tenant). */
const SHARED_CONFIGS = 256;

const STATUS: Record<PortalStatus, TenantStatus> = {
  installing: 'active',
  active: 'active',
  // Calls go on; the CRM port refuses, so its leads go to the sellers by hand (crm.manual).
  needs_reinstall: 'active',
  uninstalled: 'removed',
};

interface Cached {
  readonly tenant: Tenant;
  readonly portal: Portal;
  /** What the tenant was built from: a change of any of these builds a new one. */
  readonly version: string;
  readonly checkedAt: number;
}

/**
 * The engine's tenants are the installed portals. A portal's tenant is built from its settings,
 * its secrets and the operator's defaults, and kept (one adapter set per portal: batchers, rate
 * limiters and token refresh live in them) until its settings or status change — re-read at most
 * every `ttlMs`, or at once after `forget` (this instance changed it).
 */
export class PortalTenants implements TenantRegistry {
  readonly #deps: PortalTenantsDeps;
  readonly #cache = new Map<string, Cached>();
  // Stored settings (as JSON) → their config, shared; in order of use, the least recent dropped.
  readonly #configs = new Map<string, TenantConfig>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(deps: PortalTenantsDeps) {
    this.#deps = deps;
    this.#ttlMs = deps.ttlMs ?? 2_000;
    this.#now = deps.now ?? Date.now;
  }

  async get(tenantId: string): Promise<Tenant | null> {
    return (await this.#entry(tenantId))?.tenant ?? null;
  }

  /**
   * The portal as last read for its tenant (at most `ttlMs` old, or fresh after `forget`): what
   * the app asks of a portal on a hot path (every CRM lead event) without a store read each time.
   */
  async portal(memberId: string): Promise<Portal | null> {
    return (await this.#entry(memberId))?.portal ?? null;
  }

  async #entry(tenantId: string): Promise<Cached | null> {
    const cached = this.#cache.get(tenantId);
    const now = this.#now();
    if (cached !== undefined && now - cached.checkedAt < this.#ttlMs) return cached;
    const portal = await this.#deps.portals.getByMemberId(tenantId);
    if (portal === null) {
      this.#cache.delete(tenantId);
      return null;
    }
    // A reinstall gives new tokens and a new application token: the CRM adapter is built again.
    const version = `${portal.status}|${portal.settingsChangedAt ?? 0}|${portal.applicationToken ?? ''}`;
    const tenant = cached !== undefined && cached.version === version ? cached.tenant : this.#build(portal);
    const entry = { tenant, portal, version, checkedAt: now };
    this.#cache.set(tenantId, entry);
    return entry;
  }

  /** Drops a portal's tenant, so the next decision builds it from the store again. */
  forget(memberId: string): void {
    this.#cache.delete(memberId);
  }

  /** Portals with a tenant built and kept now. */
  get size(): number {
    return this.#cache.size;
  }

  /** Drops tenants not used for a while (1,000 portals' adapters are not all kept in memory). */
  evictIdle(idleMs: number): void {
    const now = this.#now();
    for (const [id, cached] of this.#cache) if (now - cached.checkedAt > idleMs) this.#cache.delete(id);
  }

  #build(portal: Portal): Tenant {
    const status = STATUS[portal.status];
    const config = this.#config(portal);
    if (status === 'removed') {
      return {
        id: portal.memberId,
        config,
        status,
        statusReason: 'the app was uninstalled from the portal',
        ports: {
          crm: reinstallNeededCrm(),
          voice: unconfiguredVoice(),
          sms: unconfiguredSms(),
          notifier: unconfiguredNotifier(),
        },
      };
    }
    const providers = readProviders(portal.settings.providers);
    return {
      id: portal.memberId,
      config,
      status,
      ports: {
        crm: portal.status === 'needs_reinstall' ? reinstallNeededCrm() : this.#crm(portal, providers),
        voice: this.#voice(portal, providers),
        sms: this.#sms(portal),
        notifier: this.#notifier(portal, providers),
      },
    };
  }

  /**
   * The portal's config, one object for every portal whose stored settings are the same: the
   * engine builds a lead machine (XState's state nodes, an actor) per config object, and most
   * portals keep the defaults or much the same settings, so a thousand portals share a few.
   */
  #config(portal: Portal): TenantConfig {
    const key = JSON.stringify(portal.settings.tenant ?? null);
    const known = this.#configs.get(key);
    this.#configs.delete(key);
    const config = known ?? this.#parseConfig(portal);
    this.#configs.set(key, config);
    for (const oldest of this.#configs.keys()) {
      if (this.#configs.size <= SHARED_CONFIGS) break;
      this.#configs.delete(oldest);
    }
    return config;
  }

  #parseConfig(portal: Portal): TenantConfig {
    const parsed = tenantConfigSchema.safeParse(portal.settings.tenant);
    if (parsed.success) return deepFreeze(parsed.data);
    // Settings are validated when saved; a portal whose stored ones no longer parse (an upgrade
    // tightened a rule) runs on the defaults rather than stopping, and the log says so.
    this.#deps.logger.error({ memberId: portal.memberId }, 'portal settings unreadable: defaults used');
    return deepFreeze(tenantConfigSchema.parse({}));
  }

  #crm(portal: Portal, providers: PortalProviders) {
    const { crm } = providers;
    return createBitrix24Crm({
      auth: this.#deps.crmAuth(portal),
      partner: crm.partner,
      lead: { ...crm.lead, originatorId: 'prozvon' },
      calls: crm.calls,
    });
  }

  #voice(portal: Portal, providers: PortalProviders) {
    const own = providers.voximplant;
    const ownKey = portal.secrets[SECRET_NAMES.voximplantKey];
    const account =
      own !== undefined && ownKey !== undefined
        ? { ...own, privateKey: ownKey }
        : this.#deps.defaults.voximplant;
    const secret = portal.secrets[SECRET_NAMES.voice];
    if (account === undefined || secret === undefined) return unconfiguredVoice();
    return createVoximplantVoice({
      ...account,
      secret,
      callbackUrl: this.#deps.voiceCallbackUrl(portal),
      message: providers.voice.message,
      ...(providers.voice.promotion === undefined ? {} : { promotion: providers.voice.promotion }),
      ...(providers.voice.voice === undefined ? {} : { voice: providers.voice.voice }),
      store: this.#deps.pendingCalls,
    });
  }

  #sms(portal: Portal) {
    const stored = portal.secrets[SECRET_NAMES.smsProviders];
    const own = stored === undefined ? undefined : z.array(SmsProviderSettings).safeParse(parseJson(stored));
    if (own?.success) {
      // The portal's own gateways, those allowed; none left refuses (never the operator's
      // account in their place: the portal chose to pay its own).
      const allowed = own.data.filter((provider) => this.#smsAllowed(portal, provider));
      return allowed.length === 0 ? unconfiguredSms() : createSmsPort({ providers: allowed });
    }
    const providers = this.#deps.defaults.sms;
    if (providers === undefined || providers.length === 0) return unconfiguredSms();
    return createSmsPort({ providers });
  }

  #smsAllowed(portal: Portal, provider: z.output<typeof SmsProviderSettings>): boolean {
    const problem = smsBaseUrlProblem(provider.kind, provider.config.baseUrl, this.#deps.sms ?? {});
    if (problem === null) return true;
    this.#deps.logger.error(
      { memberId: portal.memberId, gateway: provider.kind, reason: problem },
      'stored SMS gateway address not allowed: not used',
    );
    return false;
  }

  #notifier(portal: Portal, providers: PortalProviders) {
    const token = portal.secrets[SECRET_NAMES.telegramToken];
    const own = providers.telegram;
    // Never the operator's chat: one portal's leads must not be shown to another's sellers.
    if (own === undefined || token === undefined) return unconfiguredNotifier();
    return createTelegramNotifier({ ...own, token });
  }
}

/** Configs shared by portals are frozen: no portal's code path can change another's. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
