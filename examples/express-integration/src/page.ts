import { readFileSync } from 'node:fs';
import { escapeHtml } from '@prozvon/adapters-telegram';
import type { Product } from './order-intake.js';

/** A number to type into the form in the demo, and what the simulated phone does. */
export interface DemoNumber {
  readonly phone: string;
  readonly behaviour: string;
}

const PUBLIC_DIR = new URL('../public/', import.meta.url);
const template = readFileSync(new URL('index.html', PUBLIC_DIR), 'utf8');
export const orderScript = readFileSync(new URL('order.js', PUBLIC_DIR), 'utf8');

/** The product page: the template with the shop's names filled in, escaped. */
export function productPage(shopName: string, product: Product, demoNumbers: readonly DemoNumber[]): string {
  const price = new Intl.NumberFormat('ru-RU', {
    style: 'currency',
    currency: product.currency,
    maximumFractionDigits: Number.isInteger(product.price) ? 0 : 2,
  }).format(product.price);
  const demo =
    demoNumbers.length === 0
      ? ''
      : `<section class="demo"><strong>Демо-номера</strong> (звонки идут в симулятор Voximplant, щёлкните, чтобы подставить):<ul>${demoNumbers
          .map((n) => `<li><code>${escapeHtml(n.phone)}</code> — ${escapeHtml(n.behaviour)}</li>`)
          .join('')}</ul></section>`;
  return template
    .replaceAll('{{shopName}}', escapeHtml(shopName))
    .replaceAll('{{productName}}', escapeHtml(product.name))
    .replaceAll('{{price}}', escapeHtml(price))
    .replace('<!--demo-->', demo);
}
