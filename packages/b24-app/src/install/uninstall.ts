import type { Logger } from '@prozvon/sdk';
import type { PortalStore } from '../portals/portal-store.js';

export interface UninstallDeps {
  readonly portals: PortalStore;
  /** The tenant cache forgets the portal, so the engine sees it removed at its next decision. */
  readonly forget: (memberId: string) => void;
  readonly now: () => number;
  readonly logger: Logger;
}

/**
 * ONAPPUNINSTALL (already verified by its application_token): the portal's tokens and every secret
 * are deleted and it is marked uninstalled, so the engine treats it as removed — its waiting leads
 * are cancelled as they come due and nothing is dialled or texted for it again. Its leads stay,
 * for its history, without any secret. `clean` (the administrator asked to delete the app's data)
 * is logged; deleting the leads themselves is not done yet (see the package README).
 */
export function createUninstall(deps: UninstallDeps) {
  return async (memberId: string, clean: boolean): Promise<void> => {
    await deps.portals.uninstall(memberId, deps.now());
    deps.forget(memberId);
    if (clean) deps.logger.info({ memberId, audit: 'clean_requested' }, 'uninstall asked to delete data');
  };
}
