import type { CallOutcome, Notice } from '@prozvon/sdk';
import { escapeHtml, link, userText } from './html.js';

export interface FormatOptions {
  /** The CRM lead's address with `{id}` for its id, used when a notice carries no URL of its own. */
  readonly crmLeadUrl?: string;
}

export const OUTCOMES: Record<CallOutcome, string> = {
  answered: 'клиент ответил',
  machine: 'ответил автоответчик',
  nodial: 'не дозвонились',
  invalid: 'номер не существует',
  refused: 'оператор отказал в звонке',
  unheard: 'клиент ответил, но сообщение не проигралось',
};

// The lead machine's reasons for sending a lead to manual (sdk/src/machine/lead-machine.ts).
const MANUAL_REASONS: Record<string, string> = {
  no_call_window: 'не нашлось времени, когда можно позвонить',
  dial_refused: 'телефония отказалась звонить',
  no_answer: 'клиент не ответил ни на одну попытку',
  no_call_result: 'результат звонка не пришёл',
  provider_refused: 'оператор телефонии отказал в звонке (баланс, блокировка номера или правило)',
  message_failed:
    'клиент взял трубку, но сообщение не проигралось (запись недоступна или ошибка синтеза речи): перезвоните и проверьте запись или голос',
  cancelled: 'звонки остановлены вручную',
  // Sent once a day per shop (its key is the shop's and the day's), for the first lead past it.
  daily_limit:
    'достигнут дневной лимит звонков или SMS магазина: до конца дня новым лидам не звоним и не пишем, они в CRM',
};

/** The notice as Telegram HTML, in Russian, for the sellers' chat. */
export function formatNotice(notice: Notice, options: FormatOptions = {}): string {
  switch (notice.kind) {
    case 'newLead':
      return lines(
        '🆕 <b>Новый лид</b>',
        customer(notice),
        field('Город', notice.city),
        field('Партнёр', notice.partner),
        field('Сайт', notice.site),
        notice.orderSum === undefined ? undefined : `Сумма: ${money(notice.orderSum, notice.currency)}`,
        crmLink(notice.crmLeadId, notice.crmUrl, options),
      );
    case 'crmFailed':
      return lines(
        '⚠️ <b>Лид не попал в CRM — обработайте вручную</b>',
        customer(notice),
        `Причина: ${crmFailure(notice)}`,
      );
    case 'manual':
      return lines(
        '✋ <b>Лид требует ручной обработки</b>',
        customer(notice),
        `Причина: ${manualReason(notice.reason)}`,
        notice.detail === undefined ? undefined : `Подробности: ${userText(notice.detail)}`,
        crmLink(notice.crmLeadId, undefined, options),
      );
    case 'callOutcome':
      return lines(
        `📞 <b>Звонок: ${OUTCOMES[notice.outcome]}</b> (попытка ${notice.attempt})`,
        customer(notice),
      );
  }
}

/** Why the lead machine sent a lead to manual, in Russian; an unknown reason as given. */
export function manualReason(reason: string): string {
  return MANUAL_REASONS[reason] ?? userText(reason);
}

/** Why the CRM did not take the lead. */
export function crmFailure(notice: Extract<Notice, { kind: 'crmFailed' }>): string {
  return notice.reason === 'auth'
    ? 'нет доступа к CRM (токен отозван или неверен)'
    : `CRM отклонила лид (${userText(notice.message)})`;
}

function customer(notice: Notice): string {
  return `Имя: ${userText(notice.customerName)}\nТелефон: <code>${userText(notice.phone)}</code>`;
}

function field(label: string, value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : `${label}: ${userText(value)}`;
}

/** "12 500,00 ₽" for a known ISO currency; the number and the code as given otherwise. */
export function money(sum: number, currency: string | undefined): string {
  if (currency !== undefined) {
    try {
      return escapeHtml(new Intl.NumberFormat('ru-RU', { style: 'currency', currency }).format(sum));
    } catch {
      // Not an ISO 4217 code: fall through and show it as typed.
    }
  }
  const number = new Intl.NumberFormat('ru-RU').format(sum);
  return currency === undefined ? escapeHtml(number) : `${escapeHtml(number)} ${userText(currency)}`;
}

export function crmLink(
  id: string | undefined,
  url: string | undefined,
  options: FormatOptions,
): string | undefined {
  const href =
    url ??
    (id && options.crmLeadUrl ? options.crmLeadUrl.replace('{id}', encodeURIComponent(id)) : undefined);
  const label = id ? `Лид в CRM №${userText(id)}` : 'Лид в CRM';
  if (href !== undefined) return link(href, label);
  return id ? label : undefined;
}

function lines(...parts: (string | undefined)[]): string {
  return parts.filter((p) => p !== undefined).join('\n');
}
