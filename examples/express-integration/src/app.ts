import type { Prozvon } from '@prozvon/sdk';
import { toExpress } from '@prozvon/sdk/express';
import { intakeOpenApiDocument } from '@prozvon/sdk/openapi';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { geoipLite, type Locate } from './geo.js';
import { orderFacts, type Product } from './order-intake.js';
import { type DemoNumber, orderScript, productPage } from './page.js';
import { ORDER_PATH, VOICE_CALLBACK_PATH } from './paths.js';
import { referralCookies } from './referral.js';

export const DEFAULT_PRODUCT: Product = { name: 'Чайник «Самовар-мини»', price: 4990, currency: 'RUB' };

export interface ShopAppOptions {
  readonly prozvon: Prozvon;
  readonly shopName?: string;
  readonly product?: Product;
  /** City from IP; default geoip-lite's bundled GeoLite2 database. */
  readonly locate?: Locate;
  /** Express's `trust proxy`: set it behind a reverse proxy so `req.ip` is the customer's. */
  readonly trustProxy?: boolean | string | number;
  /** The shop's public URL, for the OpenAPI document's `servers`. */
  readonly publicUrl?: string;
  /** Shown under the form in the demo. */
  readonly demoNumbers?: readonly DemoNumber[];
}

/**
 * The shop: a product page with an order form, the backend route the form posts to (the SDK's
 * order-form handler, with the shop's priced order and the city of the customer's IP), the intake's OpenAPI document and the
 * voice provider's callback route (the scenario's plan and its signed result).
 */
export function createShopApp(options: ShopAppOptions): Express {
  const { prozvon } = options;
  const product = options.product ?? DEFAULT_PRODUCT;
  const page = productPage(options.shopName ?? prozvon.config.shopName, product, options.demoNumbers ?? []);
  const openapi = JSON.stringify(
    intakeOpenApiDocument({
      path: ORDER_PATH,
      ...(options.publicUrl ? { serverUrl: options.publicUrl } : {}),
    }),
  );

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? false);

  app.get('/', referralCookies(), (_req, res) => {
    res.type('html').set('cache-control', 'no-store').send(page);
  });
  app.get('/order.js', (_req, res) => {
    res.type('text/javascript').send(orderScript);
  });
  app.get('/openapi.json', (_req, res) => {
    res.type('json').send(openapi);
  });
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  // The customer's browser posts here (JSON from the page's script, or the plain form without it):
  // the SDK takes name, phone, comment, zone and ref from it, and the rest from `orderFacts`. No
  // body parser runs before these routes, so the bridge hands the SDK the raw body.
  const orderForm = prozvon.orderFormHandler({
    fromServer: orderFacts({ product, locate: options.locate ?? geoipLite }),
  });
  app.all(ORDER_PATH, toExpress(orderForm));
  // Voximplant's scenario fetches its call plan here and posts its signed result here.
  app.all(VOICE_CALLBACK_PATH, toExpress(prozvon.handleVoiceCallback));

  const failed: ErrorRequestHandler = (error, _req, res, _next) => {
    // Only a broken connection gets here (the handlers answer every input themselves).
    if (!res.headersSent) res.status(500).json({ error: 'internal' });
    else res.destroy(error instanceof Error ? error : undefined);
  };
  app.use(failed);
  return app;
}
