import type { Logger, NotifierPort, ShopAlert } from '@prozvon/sdk';
import type { Portal } from '../portals/portal-store.js';
import { readProviders, SECRET_NAMES } from '../settings/portal-providers.js';

export interface ReinstallNoticeDeps {
  /** The portal's notifier as its tenant has it now (built again: its status just changed). */
  readonly notifierOf: (memberId: string) => Promise<NotifierPort | null>;
  readonly now: () => number;
  readonly logger: Logger;
}

/**
 * Tells a portal's sellers, through its own Telegram chat, that Bitrix24 refused the app's tokens:
 * the app must be reinstalled, and meanwhile its leads come to them by hand (`crm.manual`) while
 * calls go on. Called once per transition to needs_reinstall (the token refresher's conditional
 * write decides which process). A portal without a chat is only logged: there is nobody to tell
 * but the operator.
 */
export async function tellSellersReinstallNeeded(deps: ReinstallNoticeDeps, portal: Portal): Promise<void> {
  const log = deps.logger.child({ memberId: portal.memberId });
  const hasChat =
    readProviders(portal.settings.providers).telegram !== undefined &&
    portal.secrets[SECRET_NAMES.telegramToken] !== undefined;
  const notifier = hasChat ? await deps.notifierOf(portal.memberId) : null;
  if (notifier === null) {
    log.error(
      { audit: 'needs_reinstall', told: false },
      'Bitrix24 refused the tokens: reinstall needed (no chat to tell)',
    );
    return;
  }
  const alert: ShopAlert = {
    kind: 'shopAlert',
    key: `portal:${portal.memberId}:reinstall_needed:${deps.now()}`,
    reason: 'reinstall_needed',
  };
  await notifier.notify(alert);
  log.error(
    { audit: 'needs_reinstall', told: true },
    'Bitrix24 refused the tokens: reinstall needed, sellers told',
  );
}
