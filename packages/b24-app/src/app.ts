import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { restrictionParams } from '@prozvon/adapters-bitrix24';
import { provisionVoximplant } from '@prozvon/adapters-voximplant';
import {
  type Clock,
  createHealthHandler,
  createLogger,
  createProzvonHost,
  type EngineOptions,
  type LeadInput,
  type Logger,
  type ProzvonHost,
  SystemClock,
  tenantFromVoicePath,
} from '@prozvon/sdk';
import { createProzvonMetrics } from '@prozvon/sdk/metrics';
import { SqliteLeadStore } from '@prozvon/sdk/stores/sqlite';
import { PostgresLeadStore } from '@prozvon/store-postgres';
import { PortalRests } from './b24/portal-rests.js';
import { PostgresRequestBudget } from './budget/postgres-request-budget.js';
import { budgetRateOf, type RequestBudget, UnsharedRequestBudget } from './budget/request-budget.js';
import type { AppConfig } from './config/app-config.js';
import { CrmLeadIntake } from './events/crm-lead-intake.js';
import { CrmLeadReaders } from './events/crm-lead-readers.js';
import { createEventRoute } from './events/event-route.js';
import { OfflineDrain } from './events/offline-drain.js';
import { Background } from './http/background.js';
import { metricsRoute } from './http/metrics-route.js';
import { createInstallPage } from './install/install-page.js';
import { installPortal, type PortalInstallerDeps } from './install/install-portal.js';
import { createUninstall } from './install/uninstall.js';
import { checkPortalSecret } from './intake/check-portal-secret.js';
import { createCorezoidHandler } from './intake/corezoid-handler.js';
import { findPortalIntake } from './intake/find-portal-intake.js';
import { createPortalIntakeHandler } from './intake/portal-intake-handler.js';
import { crmAuthForPortal } from './oauth/crm-auth.js';
import { refreshIdlePortals } from './oauth/idle-refresh.js';
import { PortalClients } from './oauth/portal-clients.js';
import { tellSellersReinstallNeeded } from './oauth/reinstall-notice.js';
import { PortalTokenRefresher } from './oauth/token-refresher.js';
import { createAppPage } from './pages/app-page.js';
import { type BuiltPages, createAssetRoute, loadBuiltPages } from './pages/built-pages.js';
import type { PortalStore } from './portals/portal-store.js';
import { PostgresPortalStore } from './portals/postgres-portal-store.js';
import type { SecretBox } from './portals/secrets.js';
import { SqlitePortalStore } from './portals/sqlite-portal-store.js';
import { PostgresRestLog } from './rest-log/postgres-rest-log.js';
import { recordRestCalls } from './rest-log/record-rest-calls.js';
import type { RestLog } from './rest-log/rest-log.js';
import { DAY_MS, RestLogPruner } from './rest-log/rest-log-pruner.js';
import { RestLogWriter } from './rest-log/rest-log-writer.js';
import { SqliteRestLog } from './rest-log/sqlite-rest-log.js';
import { createServer, PATHS } from './server.js';
import { FrameAuth } from './settings/frame-auth.js';
import { readProviders } from './settings/portal-providers.js';
import { createSettingsApi } from './settings/settings-api.js';
import { frameUserCheck } from './settings/user-check.js';
import type { OperatorDefaults } from './tenants/operator-defaults.js';
import { PortalTenants } from './tenants/portal-tenants.js';

export interface AppOptions {
  readonly config: AppConfig;
  readonly secrets: SecretBox;
  readonly defaults?: OperatorDefaults;
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly engine?: EngineOptions;
  /** How often every portal's offline queue is drained unasked (default 5 minutes). */
  readonly drainEveryMs?: number;
  /**
   * Voximplant management API bases a portal admin may name when connecting an account (a
   * simulator's in tests); none by default: only Voximplant's own.
   */
  readonly voximplantApiBases?: readonly string[];
  /**
   * SMS gateway base URLs a portal admin may name as they are (a simulator's in tests), beyond
   * each gateway's own hosts and the config's `smsHosts`.
   */
  readonly smsBaseUrls?: readonly string[];
  /** Telegram Bot API servers a portal may name (a simulator's in tests); none: Telegram's own only. */
  readonly telegramApiRoots?: readonly string[];
  /** The built pages; read from `@prozvon/b24-pages`'s dist by default (null: not built). */
  readonly pages?: BuiltPages | null;
}

export interface RunningApp {
  /** The address it listens on (`http://127.0.0.1:<port>`); the public URL is the config's. */
  readonly url: string;
  readonly host: ProzvonHost;
  readonly portals: PortalStore;
  readonly tenants: PortalTenants;
  readonly drain: OfflineDrain;
  /** Every portal's REST requests and answers, redacted (rest-log/). */
  readonly restLog: RestLog;
  /** Resolves when the work events started (reading CRM leads) has settled. */
  idle(): Promise<void>;
  /** Writes the REST log entries still gathered in memory (they are written within ¼ s anyway). */
  flushRestLog(): Promise<void>;
  /** Graceful: stops taking requests, lets the engine finish what is in flight, closes the stores. */
  stop(): Promise<void>;
}

/**
 * The composition root of the Bitrix24 app: the stores on one SQLite file, the engine host for
 * every portal, the routes, the server, the offline-event drain. `main.ts` calls it with the
 * environment's settings; tests and `npm start` with the simulators'.
 */
export async function startApp(options: AppOptions): Promise<RunningApp> {
  const { config } = options;
  const logger = options.logger ?? createLogger();
  const clock = options.clock ?? new SystemClock();
  const now = () => clock.now();
  // PROZVON_DATABASE_URL: leads, portals and the REST log in PostgreSQL, shared by every
  // instance; else one SQLite file holds them.
  const pg =
    config.databaseUrl == null
      ? null
      : {
          url: config.databaseUrl,
          ...(config.databaseSchema == null ? {} : { schema: config.databaseSchema }),
        };
  const leads = pg === null ? new SqliteLeadStore(config.databasePath) : await PostgresLeadStore.open(pg);
  const portals =
    pg === null
      ? new SqlitePortalStore(config.databasePath, { secrets: options.secrets })
      : await PostgresPortalStore.open({ ...pg, secrets: options.secrets }).catch(async (error: unknown) => {
          await leads.close();
          throw error;
        });
  // The REST log beside them: on PostgreSQL every instance's requests are in one log.
  const restLog: RestLog =
    pg === null
      ? new SqliteRestLog(config.databasePath)
      : await PostgresRestLog.open(pg).catch(async (error: unknown) => {
          await Promise.all([portals.close(), leads.close()]);
          throw error;
        });
  // Each portal's Bitrix24 request budget: on PostgreSQL one for every instance, at the rate of
  // each client's own limiter (PortalClients' default, the CRM adapter's for a standard plan).
  const budget: RequestBudget =
    pg === null
      ? new UnsharedRequestBudget()
      : await PostgresRequestBudget.open({
          ...pg,
          rate: budgetRateOf(restrictionParams('standard')),
        }).catch(async (error: unknown) => {
          await Promise.all([restLog.close(), portals.close(), leads.close()]);
          throw error;
        });
  const restLogWriter = new RestLogWriter(restLog, {
    onError: (error) => logger.error({ err: error }, 'REST log write failed'),
  });
  const restLogPruner = new RestLogPruner({
    log: restLog,
    retentionMs: (config.restLogDays ?? 3) * DAY_MS,
    now,
    onError: (error) => logger.error({ err: error }, 'REST log pruning failed'),
  });
  const background = new Background(logger);
  const app = { clientId: config.clientId, clientSecret: config.clientSecret };
  const url = (path: string) => `${config.publicUrl}${path}`;

  const refresher = new PortalTokenRefresher({
    store: portals,
    app,
    clock,
    // Once per transition (a conditional write): the sellers' chat is told to reinstall, after
    // the refresh has answered (a Telegram wait must not hold the portal's refresh lock).
    onNeedsReinstall: (portal) =>
      background.run('telling the sellers to reinstall', { memberId: portal.memberId }, () =>
        tellSellersReinstallNeeded(
          {
            notifierOf: async (memberId) => {
              tenants.forget(memberId);
              return (await tenants.get(memberId))?.ports.notifier ?? null;
            },
            now,
            logger,
          },
          portal,
        ),
      ),
  });
  // One client per portal for the app's calls and the CRM adapter's: one limiter per portal in
  // this process, and the budget across processes.
  const clients = new PortalClients({
    refresher,
    app,
    clock,
    // Every REST request of a portal leaves through its client: recorded there, secrets redacted.
    onClient: (client, portal) =>
      recordRestCalls(client, portal.memberId, (entry) => restLogWriter.record(entry), now),
    // Every HTTP request of a portal waits for its budget, shared with the other instances.
    budget: {
      of: budget,
      onError: (error) => logger.error({ err: error }, 'the portal’s request budget failed: sent unheld'),
    },
  });
  const rests = new PortalRests(portals, clients);

  const smsOutbound = { hosts: config.smsHosts ?? [], baseUrls: options.smsBaseUrls ?? [] };
  const tenants = new PortalTenants({
    portals,
    sms: smsOutbound,
    pendingCalls: leads,
    defaults: options.defaults ?? {},
    crmAuth: (portal) => crmAuthForPortal(portal, clients, (memberId) => tenants.portal(memberId)),
    voiceCallbackUrl: (portal) => url(PATHS.voice.replace(':portalKey', portal.portalKey)),
    logger,
    now,
  });
  const host = createProzvonHost({
    store: leads,
    tenants,
    clock,
    logger,
    engine: { ...retentionOf(config), ...options.engine },
    // The SDK's reading of `/voice/<key>` (null for a key that does not decode: 404), the key
    // being the portal's public one, never its member id.
    resolveTenant: async (request) => {
      const key = tenantFromVoicePath(request);
      return key === null ? null : ((await portals.getByPortalKey(key))?.memberId ?? null);
    },
  });

  const metrics = createProzvonMetrics(host.engine);

  const readers = new CrmLeadReaders(rests);
  const crmLeads = new CrmLeadIntake({
    reader: (memberId) => readers.of(memberId),
    policy: async (memberId) => {
      const portal = await tenants.portal(memberId);
      if (portal === null || (portal.status !== 'active' && portal.status !== 'needs_reinstall')) return null;
      const providers = readProviders(portal.settings.providers);
      return {
        originatorId: 'prozvon',
        sources: providers.crm.callSources,
        origin: new URL(portal.clientEndpoint).origin,
      };
    },
    adopt: (memberId, input, crm) => host.adoptCrmLead(memberId, input, crm),
    logger,
  });
  const drain = new OfflineDrain({
    rest: rests,
    crmLeads,
    activePortals: async () => (await portals.listActive()).map((portal) => portal.memberId),
    logger,
  });
  const forget = (memberId: string) => {
    tenants.forget(memberId);
    rests.forget(memberId);
  };

  // The SDK's browser build, for the install page's installFinish (the package exports no path
  // to it, so it is found beside its ES module entry).
  const intakePortal = findPortalIntake(portals);
  const b24jssdkSource = readFileSync(
    new URL('../umd/index.min.js', import.meta.resolve('@bitrix24/b24jssdk')),
  );
  // One install, two doors: the install page's POST and a Market install's ONAPPINSTALL.
  const installer: PortalInstallerDeps = {
    portals,
    rest: rests,
    app: { ...app, oauthHosts: config.oauthHosts },
    urls: { events: url(PATHS.events), leadTab: url(PATHS.leadTab) },
    now,
    logger,
    onInstalled: (memberId) => {
      forget(memberId);
      void drain.drain(memberId);
    },
  };
  const pages = options.pages === undefined ? loadBuiltPages() : options.pages;
  if (pages === null) logger.warn('the app’s pages are not built (npm run build): they answer 503');
  const server = createServer(
    {
      installPage: createInstallPage({
        ...installer,
        urls: { ...installer.urls, settingsPage: url(PATHS.app), b24jssdk: PATHS.b24jssdk },
      }),
      appPage: createAppPage('settings', { portals, pages }),
      leadTab: createAppPage('lead-tab', { portals, pages }),
      dashboard: createAppPage('dashboard', { portals, pages }),
      pageAssets: createAssetRoute(pages),
      events: createEventRoute({
        portals,
        crmLeads,
        drain: (memberId) => void drain.drain(memberId),
        uninstall: createUninstall({ portals, leads, forget, background, now, logger }),
        install: (claim) => installPortal(installer, claim, 'ONAPPINSTALL'),
        background,
        logger,
      }),
      voice: (request) => host.handleVoiceCallback(request),
      intake: createPortalIntakeHandler({
        findPortal: intakePortal,
        // Untrusted bodies: the engine validates every field (LeadInput is the type a caller writes).
        submit: (tenantId, body) => host.submitLead(tenantId, body as LeadInput),
        now,
        onError: (error) => logger.error({ err: error }, 'intake failed'),
      }),
      corezoid: createCorezoidHandler({
        checkSecret: checkPortalSecret(intakePortal, now),
        submit: (tenantId, input) => host.submitLead(tenantId, input as LeadInput),
        onError: (error) => logger.error({ err: error }, 'Corezoid intake failed'),
      }),
      b24jssdk: async () =>
        new Response(b24jssdkSource, {
          headers: {
            'content-type': 'text/javascript; charset=utf-8',
            'cache-control': 'public, max-age=86400',
          },
        }),
      health: createHealthHandler(host.engine),
      metrics: metricsRoute(config.metricsToken, metrics.handler),
      api: createSettingsApi({
        portals,
        auth: new FrameAuth({
          portals,
          checkUser: frameUserCheck(),
          now,
          onError: (error) => logger.warn({ err: error }, 'frame user check failed'),
        }),
        defaults: options.defaults ?? {},
        urls: {
          intake: (key) => url(PATHS.intake.replace(':portalKey', key)),
          corezoid: (key, secret) =>
            url(PATHS.corezoid.replace(':portalKey', key).replace(':secret', secret)),
        },
        forget,
        host,
        leads,
        restLog,
        voximplant: { provision: provisionVoximplant, apiBases: options.voximplantApiBases ?? [] },
        sms: smsOutbound,
        telegramApiRoots: options.telegramApiRoots ?? [],
        rest: rests,
        tenants,
        now,
        logger,
      }),
    },
    logger,
    { proxy: config.trustProxy },
  );

  await host.start();
  const listening: Server = await new Promise((resolve, reject) => {
    const http = server.listen(config.port, config.host, () => resolve(http));
    http.once('error', reject);
  });
  const address = listening.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  drain.start(options.drainEveryMs);
  // A portal idle for 150 days is refreshed once, so its 180-day refresh token does not lapse.
  const idleRefresh = setInterval(() => {
    refreshIdlePortals(portals, refresher, clock.now()).catch((error: unknown) =>
      logger.error({ err: error }, 'idle token refresh failed'),
    );
  }, 24 * 3_600_000);
  idleRefresh.unref();
  restLogPruner.start();
  // A portal's adapters (its clients, batchers, limiters) are built on use; those of portals idle
  // for ten minutes are let go, so a thousand installed portals do not each hold a set.
  const evictIdle = setInterval(() => tenants.evictIdle(10 * 60_000), 60_000);
  evictIdle.unref();
  logger.info({ port, publicUrl: config.publicUrl }, 'Prozvon Bitrix24 app listening');

  let stopping: Promise<void> | undefined;
  return {
    url: `http://${config.host}:${port}`,
    host,
    portals,
    tenants,
    drain,
    restLog,
    idle: () => background.idle(),
    flushRestLog: () => restLogWriter.flush(),
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => listening.close(() => resolve()));
        listening.closeIdleConnections();
        await closed;
        clearInterval(idleRefresh);
        clearInterval(evictIdle);
        await drain.stop();
        await background.idle();
        await host.stop();
        metrics.stop();
        await restLogPruner.stop();
        // After the engine: its last CRM writes are recorded too.
        await restLogWriter.close();
        await restLog.close();
        await budget.close();
        await portals.close();
        await leads.close();
      })();
      return stopping;
    },
  };
}

/** The engine's retention from the app's config: days, or null to keep finished leads' trails. */
function retentionOf(config: AppConfig): EngineOptions {
  if (config.retentionDays === undefined) return {};
  return { keepFinishedMs: config.retentionDays === null ? null : config.retentionDays * 86_400_000 };
}
