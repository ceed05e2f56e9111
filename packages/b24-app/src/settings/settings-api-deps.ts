import type { provisionVoximplant } from '@prozvon/adapters-voximplant';
import type { LeadStore, Logger, ProzvonHost, Tenant } from '@prozvon/sdk';
import type { PortalRestSource } from '../b24/portal-rest.js';
import type { PortalStore } from '../portals/portal-store.js';
import type { RestLog } from '../rest-log/rest-log.js';
import type { OperatorDefaults } from '../tenants/operator-defaults.js';
import type { FrameAuth } from './frame-auth.js';
import type { SettingsUrls } from './settings-view.js';
import type { SmsOutbound } from './sms-hosts.js';

/** What the settings API's routes are built from (settings-api.ts); app.ts passes the real ones. */
export interface SettingsApiDeps {
  readonly portals: PortalStore;
  readonly auth: FrameAuth;
  readonly defaults: OperatorDefaults;
  readonly urls: SettingsUrls;
  /** Drops the portal's built tenant (and clients), so the next decision reads the new settings. */
  readonly forget: (memberId: string) => void;
  readonly host: Pick<
    ProzvonHost,
    'getLead' | 'retryCrm' | 'cancelCalls' | 'callNow' | 'markMachineAsPerson' | 'dashboard'
  >;
  readonly leads: Pick<
    LeadStore,
    'listLeads' | 'getAudit' | 'getEffects' | 'findAdoptedLead' | 'getLeadFacts' | 'countHits'
  >;
  /** The portals' REST requests and answers, redacted, for support (`GET /api/portal/rest-log`). */
  readonly restLog: Pick<RestLog, 'list'>;
  readonly voximplant: {
    readonly provision: typeof provisionVoximplant;
    /**
     * The management API bases a portal admin may name (`apiBase`); absent from the request, the
     * adapter's default (api.voximplant.com). Only these: the app would otherwise send the
     * admin's signed requests wherever the form said, from inside the operator's network.
     */
    readonly apiBases: readonly string[];
  };
  /**
   * Bot API servers a portal's Telegram settings may name (`apiRoot`); absent, Telegram's own.
   * None by default: a test's simulator.
   */
  readonly telegramApiRoots: readonly string[];
  /** Where a portal's SMS gateways may be (sms-hosts.ts): their own hosts and the operator's. */
  readonly sms: SmsOutbound;
  /** The portals' tenants as the engine uses them: the test buttons send through their ports. */
  readonly tenants: { get(memberId: string): Promise<Tenant | null> };
  /** The portal's REST with the app's tokens (the lead tab's CRM lead look-up). */
  readonly rest: PortalRestSource;
  readonly now: () => number;
  readonly logger: Logger;
}
