#!/usr/bin/env node
// `prozvon-b24-app` / `npm run start:app`: the Bitrix24 app alone, configured only from the
// environment (the package README lists the variables), validated at start with a message that
// names what is missing or wrong. SIGTERM and SIGINT stop it gracefully.
// V8's defaults, on purpose: `NODE_OPTIONS='--optimize-for-size --max-semi-space-size=16'` holds
// 1,000 portals in about 205 MB instead of ~520 MB, but cost 1.3–2.4 times the CPU when measured
// (bench/README.md): an operator short of memory rather than CPU may set it.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createLogger, SettingsError } from '@prozvon/sdk';
import { startApp } from './app.js';
import { appConfigFromEnv } from './config/app-config.js';
import { secretBoxFromEnv } from './portals/secret-box-from-env.js';
import { operatorDefaultsFromEnv } from './tenants/operator-defaults.js';

const logger = createLogger();
let settings: Parameters<typeof startApp>[0];
try {
  const config = appConfigFromEnv();
  settings = { config, secrets: secretBoxFromEnv(), defaults: operatorDefaultsFromEnv(), logger };
  mkdirSync(dirname(config.databasePath), { recursive: true });
} catch (error) {
  // A settings error names each variable and never a value; print it plainly and stop.
  console.error(error instanceof SettingsError || error instanceof Error ? error.message : String(error));
  process.exit(2);
}
const app = await startApp(settings);
let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping');
  app.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error({ err: error }, 'stop failed');
      process.exit(1);
    },
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
