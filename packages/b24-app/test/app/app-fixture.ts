import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type Logger } from '@prozvon/sdk';
import type { AppRecord } from '@prozvon/testkit';
import { type Bitrix24Sim, freeLoopbackPort, startBitrix24Sim, trustTestkitCa } from '@prozvon/testkit';
import { type AppOptions, type RunningApp, startApp } from '../../src/app.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { parseMasterKey, SecretBox } from '../../src/portals/secrets.js';
import { PATHS } from '../../src/server.js';

export interface AppFixture {
  readonly sim: Bitrix24Sim;
  readonly app: RunningApp;
  readonly b24App: AppRecord;
  readonly config: AppConfig;
  /** Every log line the app wrote, as parsed JSON. */
  readonly logs: Record<string, unknown>[];
  /** Starts the app again on the same database (after `app.stop()`). */
  restart(): Promise<RunningApp>;
  close(): Promise<void>;
}

/**
 * The Bitrix24 simulator with the app registered as a local application (install and handler URLs
 * on the app), and the app on a fresh SQLite file, listening on loopback.
 */
export async function startAppFixture(
  options: { portals?: readonly string[]; app?: Partial<AppOptions> } = {},
): Promise<AppFixture> {
  const sim = await startBitrix24Sim({ portals: (options.portals ?? ['shop']).map((key) => ({ key })) });
  trustTestkitCa(sim.ca);
  const port = await freeLoopbackPort();
  const base = `http://127.0.0.1:${port}`;
  const b24App = sim.registerApp({
    name: 'Prozvon',
    installUrl: `${base}${PATHS.install}`,
    handlerUrl: `${base}${PATHS.app}`,
  });
  const dir = mkdtempSync(join(tmpdir(), 'prozvon-app-'));
  const config: AppConfig = {
    clientId: b24App.clientId,
    clientSecret: b24App.clientSecret,
    publicUrl: base,
    databasePath: join(dir, 'app.db'),
    port,
    host: '127.0.0.1',
    oauthHosts: [new URL(sim.url).host],
    trustProxy: false,
    restLogDays: 3,
  };
  const secrets = new SecretBox(parseMasterKey(randomBytes(32).toString('base64')));
  const logs: Record<string, unknown>[] = [];
  const logger: Logger = createLogger(
    { level: 'debug' },
    { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const start = () => startApp({ config, secrets, logger, drainEveryMs: 3_600_000, ...options.app });
  let app = await start();
  return {
    sim,
    get app() {
      return app;
    },
    b24App,
    config,
    logs,
    async restart() {
      app = await start();
      return app;
    },
    async close() {
      await app.stop();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
