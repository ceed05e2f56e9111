import type { ShopAlert } from '@prozvon/sdk';
import { userText } from './html.js';

// What each alert asks the sellers to do, in Russian, for the sellers' chat.
const ALERTS: Record<ShopAlert['reason'], { title: string; body: string }> = {
  reinstall_needed: {
    title: '⚠️ <b>Prozvon потерял доступ к Bitrix24 — переустановите приложение</b>',
    body:
      'Bitrix24 больше не принимает ключи приложения. Администратору портала нужно переустановить ' +
      'Prozvon (Приложения → Prozvon). До этого новые лиды не попадают в CRM сами: они приходят ' +
      'сюда для ручной обработки, а звонки клиентам продолжаются.',
  },
};

/** The alert as Telegram HTML: alone, a full message; in a digest, its title line. */
export function formatShopAlert(alert: ShopAlert): { alone: string; entry: string } {
  const { title, body } = ALERTS[alert.reason];
  const detail = alert.detail === undefined ? [] : [`Подробности: ${userText(alert.detail)}`];
  return { alone: [title, body, ...detail].join('\n'), entry: title };
}
