import { clientAddress, type OrderFacts } from '@prozvon/sdk';
import type { Locate } from './geo.js';

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

/**
 * The shop's part of each order, for the SDK's order-form handler (`fromServer`): the priced
 * order, the site, and the city and zone of the customer's IP. The SDK takes only what a customer
 * may say from the form (name, phone, comment, time zone, ref), the IP from the connection (Express's
 * `req.ip`, so `trust proxy` decides about `X-Forwarded-For`) and the partner from the referral
 * cookie; the browser's own zone beats the one guessed here from the IP.
 */
export function orderFacts(options: OrderIntakeOptions) {
  return async (request: Request): Promise<OrderFacts> => {
    const ip = clientAddress(request);
    const place = ip === undefined ? null : await options.locate(ip);
    const { product } = options;
    return {
      ...(place?.city ? { city: place.city } : {}),
      ...(place?.timezone ? { timezone: place.timezone } : {}),
      site: (options.site ?? new URL(request.url).host).slice(0, 200),
      items: [{ name: product.name, qty: 1, price: product.price }],
      orderSum: product.price,
      currency: product.currency,
    };
  };
}
