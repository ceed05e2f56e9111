#!/usr/bin/env -S node --optimize-for-size --max-semi-space-size=16
// `prozvon-b24-app` / `npm run start:app`: the Bitrix24 app alone, configured only from the
// environment (the package README lists the variables), validated at start with a message that
// names what is missing or wrong. SIGTERM and SIGINT stop it gracefully.
// The V8 flags (also in `npm start` and the root `start:app`): a heap that favours size. With
// V8's defaults the young generation grew to 128 MB and the old space to three times what was
// live, and the RSS with 1,000 portals was twice its 300 MB target (bench/README.md).
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
