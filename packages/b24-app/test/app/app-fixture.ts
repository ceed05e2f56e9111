import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCENARIO_FILE } from '@prozvon/adapters-voximplant';
import { createLogger, type Logger } from '@prozvon/sdk';
import type { AppRecord } from '@prozvon/testkit';
import {
  type Bitrix24Sim,
  freeLoopbackPort,
  type PhonePreset,
  startBitrix24Sim,
  startVoximplantSim,
  trustTestkitCa,
  type VoximplantSim,
} from '@prozvon/testkit';
import { type AppOptions, type RunningApp, startApp } from '../../src/app.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { parseMasterKey, SecretBox } from '../../src/portals/secrets.js';
import { PATHS } from '../../src/server.js';
import type { OperatorDefaults } from '../../src/tenants/operator-defaults.js';

export interface AppFixture {
  readonly sim: Bitrix24Sim;
  /** The operator's Voximplant account (every portal's default), when `calls` was asked for. */
  readonly voximplant: VoximplantSim | null;
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
  options: {
    portals?: readonly string[];
    app?: Partial<AppOptions>;
    /** Start a Voximplant simulator whose phones behave so (all answer by default) as the operator's default. */
    calls?: Readonly<Record<string, PhonePreset>> | true;
    /** The scopes the local application is registered with (the simulator's full set by default). */
    scope?: readonly string[];
  } = {},
): Promise<AppFixture> {
  const sim = await startBitrix24Sim({ portals: (options.portals ?? ['shop']).map((key) => ({ key })) });
  trustTestkitCa(sim.ca);
  const voximplant =
    options.calls === undefined
      ? null
      : await startVoximplantSim({
          scenarioSource: readFileSync(SCENARIO_FILE, 'utf8'),
          scenarioName: 'prozvon-callback.js',
          phones: options.calls === true ? {} : options.calls,
          timeScale: 1 / 200,
        });
  const defaults: OperatorDefaults =
    voximplant === null
      ? {}
      : {
          voximplant: {
            accountId: voximplant.accountId,
            keyId: voximplant.serviceKey.keyId,
            privateKey: voximplant.serviceKey.privateKey,
            ruleId: voximplant.ruleId,
            apiBase: voximplant.url,
          },
        };
  const port = await freeLoopbackPort();
  const base = `http://127.0.0.1:${port}`;
  const b24App = sim.registerApp({
    name: 'Prozvon',
    installUrl: `${base}${PATHS.install}`,
    handlerUrl: `${base}${PATHS.app}`,
    ...(options.scope === undefined ? {} : { scope: options.scope }),
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
  const start = () =>
    startApp({ config, secrets, logger, defaults, drainEveryMs: 3_600_000, ...options.app });
  let app = await start();
  return {
    sim,
    voximplant,
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
      await voximplant?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
