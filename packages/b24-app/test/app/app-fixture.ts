import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
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
import type { Portal } from '../../src/portals/portal-store.js';
import { parseMasterKey, SecretBox } from '../../src/portals/secrets.js';
import { PATHS } from '../../src/server.js';
import type { OperatorDefaults } from '../../src/tenants/operator-defaults.js';

export interface AppFixture {
  readonly sim: Bitrix24Sim;
  /** The operator's Voximplant account (every portal's default), when `calls` was asked for. */
  readonly voximplant: VoximplantSim | null;
  /** The Voximplant simulator running the shipped scenario, when started with `voice: true`. */
  readonly vox: VoximplantSim | undefined;
  readonly app: RunningApp;
  readonly b24App: AppRecord;
  readonly config: AppConfig;
  /** The master key the portal store's secrets are encrypted with (base64). */
  readonly masterKey: string;
  /** Every log line the app wrote, as parsed JSON. */
  readonly logs: Record<string, unknown>[];
  /** Every log line the app wrote, as written. */
  readonly rawLogs: string[];
  /**
   * Installs the app on a simulator portal through the real install page and opens the portal
   * round the clock (so its leads are called at once); the stored portal.
   */
  install(portalKey?: string): Promise<Portal>;
  /** Leads in the app's store, per tenant (member id), read from its SQLite file. */
  leadCounts(): Record<string, number>;
  /** Starts the app again on the same database (after `app.stop()`). */
  restart(): Promise<RunningApp>;
  close(): Promise<void>;
}

/**
 * The Bitrix24 simulator with the app registered as a local application (install and handler URLs
 * on the app), and the app on a fresh SQLite file, listening on loopback. With `voice`, a
 * Voximplant simulator runs the shipped scenario and is every portal's operator default, so a
 * lead's call really happens and its signed result comes back to `/voice/<portalKey>`.
 */
export async function startAppFixture(
  options: {
    portals?: readonly string[];
    app?: Partial<AppOptions>;
    /** Start a Voximplant simulator whose phones behave so (all answer by default) as the operator's default. */
    calls?: Readonly<Record<string, PhonePreset>> | true;
    /** The scopes the local application is registered with (the simulator's full set by default). */
    scope?: readonly string[];
    /** Shorthand for `calls: true`. */
    voice?: boolean;
    /** Settings of the app's own environment beyond the fixture's (a metrics token…). */
    config?: Partial<AppConfig>;
    /**
     * Register the app as a Market app without UI: no install page, its installation event
     * handler URL is the app's event URL, where ONAPPINSTALL arrives (BITRIX24.md §2.1b).
     */
    marketplace?: boolean;
    /** Register it as a local app without UI: ONAPPINSTALL goes to its install path (§2.1b). */
    localWithoutUi?: boolean;
  } = {},
): Promise<AppFixture> {
  const sim = await startBitrix24Sim({ portals: (options.portals ?? ['shop']).map((key) => ({ key })) });
  trustTestkitCa(sim.ca);
  const calls = options.calls ?? (options.voice ? true : undefined);
  const voximplant =
    calls === undefined
      ? null
      : await startVoximplantSim({
          scenarioSource: readFileSync(SCENARIO_FILE, 'utf8'),
          scenarioName: 'prozvon-callback.js',
          phones: calls === true ? {} : calls,
          timeScale: 1 / 200,
        });
  const defaults: OperatorDefaults =
    voximplant === null
      ? {}
      : {
          voximplant: voximplant.account,
        };
  const port = await freeLoopbackPort();
  const base = `http://127.0.0.1:${port}`;
  const b24App = sim.registerApp({
    name: 'Prozvon',
    ...(options.marketplace
      ? { eventHandlerUrl: `${base}${PATHS.events}`, ui: false }
      : options.localWithoutUi
        ? { eventHandlerUrl: `${base}${PATHS.install}`, ui: false }
        : { installUrl: `${base}${PATHS.install}`, handlerUrl: `${base}${PATHS.app}` }),
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
    ...options.config,
  };
  const masterKey = randomBytes(32).toString('base64');
  const secrets = new SecretBox(parseMasterKey(masterKey));
  const logs: Record<string, unknown>[] = [];
  const rawLogs: string[] = [];
  const logger: Logger = createLogger(
    { level: 'debug' },
    {
      write: (line: string) => {
        rawLogs.push(line);
        logs.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  const start = () =>
    startApp({ config, secrets, logger, defaults, drainEveryMs: 3_600_000, ...options.app });
  let app = await start();
  return {
    sim,
    voximplant,
    vox: voximplant ?? undefined,
    get app() {
      return app;
    },
    b24App,
    config,
    masterKey,
    logs,
    rawLogs,
    async install(portalKey) {
      const result = await sim.installApp(
        b24App.clientId,
        portalKey === undefined ? {} : { portal: portalKey },
      );
      if (result.page !== 200)
        throw new Error(`install on ${portalKey ?? 'the first portal'}: ${result.page}`);
      const memberId = sim.portal(portalKey).memberId;
      await app.portals.updateSettings(
        memberId,
        { settings: { tenant: { hours: { customerQuietHours: null, week: allWeek() } }, providers: {} } },
        { by: 'test', at: Date.now() },
      );
      app.tenants.forget(memberId);
      const portal = await app.portals.getByMemberId(memberId);
      if (portal === null) throw new Error('the installed portal was not stored');
      return portal;
    },
    leadCounts() {
      const db = new DatabaseSync(config.databasePath, { readOnly: true });
      try {
        const rows = db.prepare('SELECT tenant_id, count(*) AS n FROM leads GROUP BY tenant_id').all();
        return Object.fromEntries(rows.map((row) => [String(row.tenant_id), Number(row.n)]));
      } finally {
        db.close();
      }
    },
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

function allWeek() {
  const day = { from: '00:00', to: '24:00' };
  return { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day };
}
