import type { LeadStore, Logger } from '@prozvon/sdk';
import type { Background } from '../http/background.js';
import type { PortalStore } from '../portals/portal-store.js';

export interface UninstallDeps {
  readonly portals: PortalStore;
  /** The engine's store: a clean uninstall erases the portal's leads from it. */
  readonly leads: Pick<LeadStore, 'deleteTenant'>;
  /** The tenant cache forgets the portal, so the engine sees it removed at its next decision. */
  readonly forget: (memberId: string) => void;
  /** Where the erasure runs, after the event is answered (a shop may have many leads). */
  readonly background: Background;
  readonly now: () => number;
  readonly logger: Logger;
}

/**
 * ONAPPUNINSTALL (already verified by its application_token): the portal's tokens and every secret
 * are deleted and it is marked uninstalled, so the engine treats it as removed — its waiting leads
 * are cancelled as they come due and nothing is dialled or texted for it again. Without `clean`
 * its leads stay, for its history, without any secret. With `clean` (the administrator ticked
 * "delete the app's data", BITRIX24.md §2.1c) every row of the portal in the engine's store —
 * leads, effects, audit, pending calls — is deleted too, in batches, once the event is answered;
 * the portal row itself stays, uninstalled and secretless, so a reinstall keeps its public key.
 */
export function createUninstall(deps: UninstallDeps) {
  return async (memberId: string, clean: boolean): Promise<void> => {
    await deps.portals.uninstall(memberId, deps.now());
    deps.forget(memberId);
    if (!clean) return;
    deps.background.run('erasing an uninstalled portal’s leads', { memberId }, async () => {
      // The portal's member id is its tenant id in the engine (tenants/portal-tenants.ts).
      const deleted = await deps.leads.deleteTenant(memberId);
      deps.logger.info(
        { memberId, audit: 'leads_erased', deleted },
        'clean uninstall: the portal’s leads deleted',
      );
    });
  };
}
