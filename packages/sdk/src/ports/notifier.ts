import type { CallOptions } from './call-options.js';
import type { CallOutcome } from './crm.js';

/**
 * Tells the sellers (Telegram). At least once; a notice carries its key for de-duplication. Most
 * are about a lead (Notice, from the engine's outbox); a ShopAlert is about the shop itself.
 */
export interface NotifierPort {
  notify(notice: Notice | ShopAlert, options?: CallOptions): Promise<void>;
}

export const NotifierPort = Symbol.for('prozvon.NotifierPort');

interface NoticeBase {
  readonly key: string;
  readonly leadId: string;
  readonly customerName: string;
  readonly phone: string;
}

/**
 * About the shop, not one lead, and not a `notify` switch: something the sellers must act on for
 * every lead until it is fixed. `reinstall_needed`: the CRM refuses the app's credentials
 * (Bitrix24's `invalid_grant`), so leads go to the sellers by hand (`crm.manual`) while calls go
 * on. Sent by the host application, not the engine's outbox (no lead to hang it on); its key
 * names the occurrence, for de-duplication.
 */
export interface ShopAlert {
  readonly kind: 'shopAlert';
  readonly key: string;
  readonly reason: 'reinstall_needed';
  /** What the CRM side said, when there is more than the reason's name. */
  readonly detail?: string;
}

/** The kinds a tenant can switch on or off for Telegram (config `notify`). */
export type NoticeKind = Notice['kind'];

export type Notice =
  | (NoticeBase & {
      readonly kind: 'newLead';
      readonly city?: string;
      readonly partner?: string;
      readonly site?: string;
      readonly orderSum?: number;
      readonly currency?: string;
      readonly crmLeadId: string;
      readonly crmUrl?: string;
    })
  | (NoticeBase & {
      readonly kind: 'crmFailed';
      readonly reason: 'auth' | 'permanent';
      readonly message: string;
    })
  | (NoticeBase & {
      readonly kind: 'manual';
      readonly reason: string;
      /** What the provider or the person said, when there is more than the reason's name. */
      readonly detail?: string;
      readonly crmLeadId?: string;
    })
  | (NoticeBase & { readonly kind: 'callOutcome'; readonly outcome: CallOutcome; readonly attempt: number });
