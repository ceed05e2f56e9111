import { renderSmsText, type TenantConfig } from '../config/index.js';
import type { CallOutcome } from '../ports/index.js';
import type { EffectParams } from './effects.js';
import { effectKey } from './effects.js';
import type { LeadContext } from './lead-context.js';

type NotifyParams = EffectParams['notify'];

function base(context: LeadContext) {
  return {
    leadId: context.leadId,
    customerName: context.lead.name,
    phone: context.phone.ok ? context.phone.e164 : context.lead.phone,
  };
}

/** The sellers' "a lead arrived" message: partner, site and sum, with a link to the CRM lead. */
export function newLeadNotice(context: LeadContext): NotifyParams {
  const key = effectKey.notify(context.leadId, 'new-lead');
  const { lead } = context;
  return {
    key,
    notice: {
      kind: 'newLead',
      key,
      ...base(context),
      crmLeadId: context.crmLeadId ?? '',
      ...(context.crmUrl === null ? {} : { crmUrl: context.crmUrl }),
      ...(lead.city === undefined ? {} : { city: lead.city }),
      ...(context.partner === null ? {} : { partner: context.partner.name }),
      ...(lead.site === undefined ? {} : { site: lead.site }),
      ...(lead.orderSum === undefined ? {} : { orderSum: lead.orderSum }),
      ...(lead.currency === undefined ? {} : { currency: lead.currency }),
    },
  };
}

export function crmFailedNotice(
  context: LeadContext,
  reason: 'auth' | 'permanent',
  message: string,
): NotifyParams {
  const key = effectKey.notify(context.leadId, 'crm-failed');
  return { key, notice: { kind: 'crmFailed', key, ...base(context), reason, message } };
}

export function manualNotice(context: LeadContext, reason: string, detail?: string): NotifyParams {
  const key = effectKey.notify(context.leadId, `manual:${reason}`);
  return {
    key,
    notice: {
      kind: 'manual',
      key,
      ...base(context),
      reason,
      ...(detail === undefined || detail === '' ? {} : { detail }),
      ...(context.crmLeadId === null ? {} : { crmLeadId: context.crmLeadId }),
    },
  };
}

/**
 * The sellers' notice that the shop's daily ceiling of calls or SMS is reached: one per shop per
 * day, whichever lead meets it first (the key is the shop's and the day's, and the outbox keeps one
 * effect per key, across instances). It names that lead; the ones after it reach the sellers as
 * new leads, uncalled.
 */
export function dailyLimitNotice(context: LeadContext, day: string): NotifyParams {
  const key = effectKey.dailyLimitNotice(context.tenantId, day);
  // A manual notice for the reason `daily_limit`, under the shop's and the day's key.
  return { key, notice: { ...manualNotice(context, 'daily_limit').notice, key } };
}

export function callNotice(context: LeadContext, outcome: CallOutcome): NotifyParams {
  const key = effectKey.notify(context.leadId, `call:${context.attempt}`);
  return { key, notice: { kind: 'callOutcome', key, ...base(context), outcome, attempt: context.attempt } };
}

export function smsText(template: string, config: TenantConfig, context: LeadContext): string {
  return renderSmsText(template, {
    name: context.lead.name,
    shop: config.shopName,
    orderSum: context.lead.orderSum,
    currency: context.lead.currency,
    shopPhone: config.shopPhone,
  }).trim();
}
