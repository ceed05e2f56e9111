// Runs the shop: `node dist/main.js` here, or `npm start` at the repository root (the demo).
// With every service's credentials in the environment (README.md) it runs against the real
// services in real time; a service without them runs against its simulator; with none at all it
// is the demo (simulators, accelerated clock, demo numbers).
import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { databaseFromEnv, leadStoreFromEnv } from '@prozvon/store-postgres';
import { runDemo } from './demo.js';
import { missingServices, SERVICES, settingsFromEnv } from './settings.js';
import { startShop } from './shop.js';
import { startSimulators } from './simulators.js';
import { stopOnSignals } from './stop-on-signals.js';

const env = process.env;

async function runShop(): Promise<() => Promise<void>> {
  const given = settingsFromEnv(env);
  const missing = missingServices(given);
  const sims = missing.length > 0 ? await startSimulators() : null;
  const settings = { ...sims?.settings, ...given } as Required<typeof given>;
  // PROZVON_DATABASE_URL=postgres://… puts the leads in PostgreSQL; unset, the SQLite file.
  const dbPath = env.PROZVON_DB ?? join(process.cwd(), '.prozvon', 'shop.db');
  if (databaseFromEnv(env).url === null) mkdirSync(dirname(dbPath), { recursive: true });
  const store = await leadStoreFromEnv(env, { sqlitePath: dbPath });
  const shop = await startShop({
    settings,
    store,
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}),
    ...(env.SHOP_NAME ? { config: { shopName: env.SHOP_NAME } } : {}),
    app: env.TRUST_PROXY ? { trustProxy: env.TRUST_PROXY } : {},
  });
  console.log(`Shop at ${shop.url}; simulated: ${missing.join(', ') || 'nothing'}`);
  if (sims) for (const [name, url] of Object.entries(sims.statePages)) console.log(`  ${name}: ${url}`);
  return async () => {
    await shop.stop();
    await store.close();
    await sims?.close();
  };
}

// PROZVON_DEMO=1 (what the root `npm start` sets): the demo even if credentials are in the environment.
const demo =
  env.PROZVON_DEMO === '1' ||
  SERVICES.every((service) => missingServices(settingsFromEnv(env)).includes(service));
const stop = demo ? await runDemo(env) : await runShop();
stopOnSignals(stop);
