import { isIP } from 'node:net';
import { isIanaZone } from '@prozvon/sdk';
import type { Locate } from './geo.js';
import { utmFromCookies } from './referral.js';
import { expressRequestOf } from './web-handler.js';

/** What the shop sells on its one page; the backend prices the order, never the browser. */
export interface Product {
  readonly name: string;
  readonly price: number;
  readonly currency: string;
}

export interface OrderIntakeOptions {
  readonly product: Product;
  /** City (and zone) from the customer's IP. */
  readonly locate: Locate;
  /** The shop's site as stored on the lead; default the request's host. */
  readonly site?: string;
}

/** Fields the order form may send; everything else the backend fills in itself. */
const FROM_BROWSER = ['name', 'phone', 'comment', 'ref'] as const;

/**
 * The shop's backend step before the SDK's intake handler: from the form's JSON it keeps what a
 * customer types, then adds what only the server knows — the IP, the city of that IP, the
 * partner's code from the referral cookie, the site and the priced order. Bad input is left for
 * the SDK to name in its 400; what the server adds is checked here, so a strange cookie or time
 * zone never costs the shop an order.
 */
export function enrichOrder(options: OrderIntakeOptions) {
  return async (body: Record<string, unknown>, request: Request): Promise<Record<string, unknown>> => {
    const lead: Record<string, unknown> = {};
    for (const field of FROM_BROWSER) if (body[field] !== undefined) lead[field] = body[field];

    const incoming = expressRequestOf(request);
    // Behind `trust proxy` the IP comes from X-Forwarded-For, which anyone can fill with anything.
    const ip = incoming?.ip?.replace(/^::ffff:/, '');
    if (ip && isIP(ip) !== 0) lead.ip = ip;
    const place = typeof lead.ip === 'string' ? await options.locate(lead.ip) : null;

    // The browser's own zone (Intl…resolvedOptions().timeZone) beats the IP's: VPNs and mobile
    // carriers move IPs across zones. An unknown zone falls back rather than refusing the order.
    const browserZone = typeof body.timezone === 'string' ? body.timezone.trim() : '';
    const timezone = isIanaZone(browserZone) ? browserZone : place?.timezone;
    if (timezone) lead.timezone = timezone;
    const typedCity = typeof body.city === 'string' ? body.city : undefined;
    const city = place?.city ?? typedCity;
    if (city) lead.city = city;

    const utm = utmFromCookies(request.headers.get('cookie'));
    if (utm.utm_source) lead.partnerCode = utm.utm_source;
    const utmFields = {
      source: utm.utm_source,
      medium: utm.utm_medium,
      campaign: utm.utm_campaign,
      content: utm.utm_content,
      term: utm.utm_term,
    };
    if (Object.values(utmFields).some((v) => v !== undefined)) lead.utm = utmFields;

    lead.site = (options.site ?? new URL(request.url).host).slice(0, 200);
    const { product } = options;
    lead.items = [{ name: product.name, qty: 1, price: product.price }];
    lead.orderSum = product.price;
    lead.currency = product.currency;
    return lead;
  };
}
