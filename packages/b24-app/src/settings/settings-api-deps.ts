import type { provisionVoximplant } from '@prozvon/adapters-voximplant';
import type { LeadStore, Logger, ProzvonHost } from '@prozvon/sdk';
import type { PortalStore } from '../portals/portal-store.js';
import type { OperatorDefaults } from '../tenants/operator-defaults.js';
import type { FrameAuth } from './frame-auth.js';
import type { SettingsUrls } from './settings-view.js';

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
    'getLead' | 'retryCrm' | 'cancelCalls' | 'markMachineAsPerson' | 'dashboard'
  >;
  readonly leads: Pick<LeadStore, 'listLeads' | 'getAudit' | 'getEffects' | 'getLeadFacts'>;
  readonly voximplant: {
    readonly provision: typeof provisionVoximplant;
    /**
     * The management API bases a portal admin may name (`apiBase`); absent from the request, the
     * adapter's default (api.voximplant.com). Only these: the app would otherwise send the
     * admin's signed requests wherever the form said, from inside the operator's network.
     */
    readonly apiBases: readonly string[];
  };
  readonly now: () => number;
  readonly logger: Logger;
}
