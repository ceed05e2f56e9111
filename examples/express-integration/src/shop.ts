import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBitrix24Crm } from '@prozvon/adapters-bitrix24';
import { createSmsPort } from '@prozvon/adapters-sms';
import { createTelegramNotifier } from '@prozvon/adapters-telegram';
import { createVoximplantVoice, type VoximplantVoiceOptions } from '@prozvon/adapters-voximplant';
import {
  type Clock,
  createLogger,
  createProzvon,
  type EngineOptions,
  type LeadStore,
  type Logger,
  type Prozvon,
  SystemClock,
  type TenantConfigInput,
} from '@prozvon/sdk';
import { createShopApp, type ShopAppOptions } from './app.js';
import { VOICE_CALLBACK_PATH } from './paths.js';
import type { AdapterSettings } from './settings.js';

export interface ShopOptions {
  readonly settings: AdapterSettings;
  readonly store: LeadStore;
  readonly config?: TenantConfigInput;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Default 0: any free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Where Voximplant reaches the shop (HTTPS in production); default the address it listens on. */
  readonly publicUrl?: string;
  readonly app?: Omit<ShopAppOptions, 'prozvon' | 'publicUrl'>;
  /** The scenario's limit on one call, and how long call history may lag (the demo's faster clock). */
  readonly voice?: Pick<VoximplantVoiceOptions, 'maxCallSec' | 'historyGraceMs'>;
  /** The engine's leases and port deadlines (the demo's faster clock stretches them). */
  readonly engine?: Pick<EngineOptions, 'leaseMs' | 'callDeadlineMs'>;
}

export interface RunningShop {
  readonly url: string;
  readonly prozvon: Prozvon;
  readonly server: Server;
  /** `prozvon.stop()` (effects in flight finish or stay safely `started`), then the server closes. */
  stop(): Promise<void>;
}

/**
 * The example's composition root: the four adapters, `createProzvon`, the Express app and the
 * HTTP server. The server listens first, because Voximplant's adapter needs the shop's own URL
 * (its scenario fetches the call plan from it) before the engine can be made.
 */
export async function startShop(options: ShopOptions): Promise<RunningShop> {
  const { settings } = options;
  const server = createServer();
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const publicUrl = options.publicUrl ?? url;

  const prozvon = createProzvon({
    store: options.store,
    crm: createBitrix24Crm(settings.crm),
    // One route for the scenario's plan and result: the app mounts handleVoiceCallback there.
    voice: createVoximplantVoice({
      ...settings.voximplant,
      callbackUrl: `${publicUrl.replace(/\/+$/, '')}${VOICE_CALLBACK_PATH}`,
      message: (call) => `Здравствуйте, ${call.customerName}! Ваш заказ принят, спасибо, что выбрали нас.`,
      promotion: 'Скидка десять процентов на следующий заказ.',
      store: options.store,
      ...options.voice,
    }),
    sms: createSmsPort({ providers: settings.sms }),
    notifier: createTelegramNotifier(settings.telegram),
    clock: options.clock ?? new SystemClock(),
    logger: options.logger ?? createLogger(),
    ...(options.config ? { config: options.config } : {}),
    ...(options.engine ? { engine: options.engine } : {}),
  });
  server.on('request', createShopApp({ ...options.app, prozvon, publicUrl }));
  await prozvon.start();

  return {
    url,
    prozvon,
    server,
    async stop() {
      await prozvon.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
