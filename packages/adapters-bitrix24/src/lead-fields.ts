import type { CrmLeadRequest, CrmPartner } from '@prozvon/sdk';
import type { ResolvedOptions } from './options.js';
import { partnerLink } from './partner-query.js';

/** Bitrix24 renders a lead's COMMENTS as HTML: what a customer typed must not become markup. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A Russian mobile number (+7 9xx) is MOBILE; anything else (a landline, abroad) is WORK. */
export function phoneValueType(phone: string): 'MOBILE' | 'WORK' {
  return /^79\d{9}$/.test(phone.replace(/\D/g, '')) ? 'MOBILE' : 'WORK';
}

/** The fields of `crm.lead.add` for a request: every field a seller would look for (DESIGN.md §4). */
export function leadFields(request: CrmLeadRequest, options: ResolvedOptions): Record<string, unknown> {
  const { lead } = request;
  const config = options.lead;
  const utm = lead.utm ?? {};
  const orderSum = lead.orderSum ?? itemsTotal(lead.items);
  const fields: Record<string, unknown> = {
    TITLE: `${config.titlePrefix}: ${lead.name}${lead.site ? ` (${lead.site})` : ''}`,
    NAME: lead.name,
    PHONE: [{ VALUE: request.phone, VALUE_TYPE: phoneValueType(request.phone) }],
    ADDRESS_CITY: lead.city,
    SOURCE_ID: config.sourceId,
    SOURCE_DESCRIPTION: sourceDescription(request),
    // The partner's code is the utm_source of its referral link (DESIGN.md §1).
    UTM_SOURCE: utm.source ?? lead.partnerCode,
    UTM_MEDIUM: utm.medium,
    UTM_CAMPAIGN: utm.campaign,
    UTM_CONTENT: utm.content,
    UTM_TERM: utm.term,
    COMMENTS: leadComments(request),
    ORIGINATOR_ID: config.originatorId,
    ORIGIN_ID: request.key,
    ASSIGNED_BY_ID: config.assignedById,
    ...partnerFields(request.partner, options),
  };
  if (orderSum !== undefined) {
    fields.OPPORTUNITY = orderSum;
    fields.CURRENCY_ID = lead.currency ?? config.currency;
    // Otherwise the portal recomputes OPPORTUNITY from product rows, which we do not add.
    fields.IS_MANUAL_OPPORTUNITY = 'Y';
  }
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

function partnerFields(partner: CrmPartner | null, options: ResolvedOptions): Record<string, unknown> {
  if (partner === null) return {};
  const link = partnerLink(partner, options.partner);
  return link === undefined ? {} : { [link.field]: link.value };
}

function itemsTotal(items: CrmLeadRequest['lead']['items']): number | undefined {
  if (items === undefined || items.length === 0) return undefined;
  return Math.round(items.reduce((sum, item) => sum + item.qty * item.price, 0) * 100) / 100;
}

function sourceDescription(request: CrmLeadRequest): string {
  const parts = ['Prozvon'];
  if (request.lead.site) parts.push(request.lead.site);
  if (request.lead.partnerCode) parts.push(`партнёр ${request.lead.partnerCode}`);
  return parts.join(', ');
}

/** COMMENTS as HTML lines: items, site, IP, time zone, partner and the customer's own comment. */
export function leadComments(request: CrmLeadRequest): string {
  const { lead, partner } = request;
  const lines: string[] = [];
  if (lead.items && lead.items.length > 0) {
    lines.push('Товары:');
    for (const item of lead.items) {
      lines.push(`— ${escapeHtml(item.name)} × ${item.qty}, ${item.price}`);
    }
  }
  if (lead.site) lines.push(`Сайт: ${escapeHtml(lead.site)}`);
  if (lead.ip) lines.push(`IP: ${escapeHtml(lead.ip)}`);
  if (lead.timezone) lines.push(`Часовой пояс: ${escapeHtml(lead.timezone)}`);
  if (partner)
    lines.push(`Партнёр: ${escapeHtml(partner.name)} (${escapeHtml(partner.entity)} #${partner.id})`);
  else if (lead.partnerCode) lines.push(`Код партнёра: ${escapeHtml(lead.partnerCode)} (не найден)`);
  lines.push(`Получена: ${new Date(request.submittedAt).toISOString()}`);
  if (lead.comment) lines.push(`Комментарий: ${escapeHtml(lead.comment).replace(/\r?\n/g, '<br>')}`);
  return lines.join('<br>');
}
