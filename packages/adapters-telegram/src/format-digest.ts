import type { Notice, NoticeKind, ShopAlert } from '@prozvon/sdk';
import { crmFailure, crmLink, type FormatOptions, manualReason, money, OUTCOMES } from './format-notice.js';
import { userText } from './html.js';

/**
 * Telegram's limit on a message, in characters after entity parsing. We measure the HTML we send,
 * which is never shorter than the text Telegram counts, so a message within it is never refused.
 */
export const MESSAGE_LIMIT = 4096;

/** Room kept for the title, `🔔 <b>9999 уведомлений</b>` and the blank line after it. */
const TITLE_ROOM = 64;

/** Between two entries: a blank line, so each lead reads as its own block on a phone. */
const SEPARATOR = '\n\n';

/** A notice of a digest: its kind (for the title) and its entry, from formatDigestEntry. */
export interface DigestItem {
  readonly kind: NoticeKind | ShopAlert['kind'];
  readonly entry: string;
}

/**
 * One notice as an entry of a digest: what happened, who (name and phone), and the CRM link. Shorter
 * than formatNotice's message, so a dozen leads fit in one message; every customer field is still
 * escaped and cut by userText.
 */
export function formatDigestEntry(notice: Notice, options: FormatOptions = {}): string {
  const who = `${userText(notice.customerName)}, <code>${userText(notice.phone)}</code>`;
  switch (notice.kind) {
    case 'newLead':
      return joined(
        [
          `🆕 ${who}`,
          text(notice.city),
          labelled('партнёр', notice.partner),
          labelled('сайт', notice.site),
          notice.orderSum === undefined ? undefined : money(notice.orderSum, notice.currency),
        ],
        crmLink(notice.crmLeadId, notice.crmUrl, options),
      );
    case 'crmFailed':
      return `⚠️ Не попал в CRM — обработайте вручную: ${who} — ${crmFailure(notice)}`;
    case 'manual':
      return joined(
        [`✋ Требует ручной обработки: ${who} — ${manualReason(notice.reason)}`],
        crmLink(notice.crmLeadId, undefined, options),
      );
    case 'callOutcome':
      return `📞 Звонок: ${OUTCOMES[notice.outcome]} (попытка ${notice.attempt}) — ${who}`;
  }
}

/** Several notices in one message, oldest first (newest last), under a title that counts them. */
export function formatDigest(items: readonly DigestItem[]): string {
  const n = items.length;
  const title = items.every((item) => item.kind === 'newLead')
    ? `${n} ${plural(n, 'новый лид', 'новых лида', 'новых лидов')}`
    : `${n} ${plural(n, 'уведомление', 'уведомления', 'уведомлений')}`;
  return [`🔔 <b>${title}</b>`, ...items.map((item) => item.entry)].join(SEPARATOR);
}

/**
 * How many of `items`, from the first, go in the next message: as many as fit within
 * MESSAGE_LIMIT as a digest, and always at least one (a single notice is sent as formatNotice's
 * message, which userText keeps well within the limit).
 */
export function fittingCount(items: readonly DigestItem[]): number {
  let size = TITLE_ROOM;
  let count = 0;
  for (const item of items) {
    size += SEPARATOR.length + item.entry.length;
    if (size > MESSAGE_LIMIT) break;
    count += 1;
  }
  return Math.max(1, count);
}

function joined(parts: (string | undefined)[], crm: string | undefined): string {
  const line = parts.filter((p) => p !== undefined).join(', ');
  return crm === undefined ? line : `${line} — ${crm}`;
}

function text(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : userText(value);
}

function labelled(label: string, value: string | undefined): string | undefined {
  const shown = text(value);
  return shown === undefined ? undefined : `${label} ${shown}`;
}

/** Russian plural: 1 новый лид, 2 новых лида, 5 новых лидов, 21 новый лид, 11 новых лидов. */
function plural(n: number, one: string, few: string, many: string): string {
  const tens = n % 100;
  const units = n % 10;
  if (units === 1 && tens !== 11) return one;
  if (units >= 2 && units <= 4 && (tens < 12 || tens > 14)) return few;
  return many;
}
