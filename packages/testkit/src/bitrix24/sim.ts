import { Faults } from '../core/faults.js';
import { listenOnLoopback, type SimServer } from '../core/loopback-server.js';
import { testkitCertificates } from '../tls/certificates.js';
import { type AppRecord, type AppSeed, Apps } from './apps.js';
import { type Bitrix24Clock, systemClock } from './clock.js';
import { Credentials } from './credentials.js';
import type { Row } from './crm/entity-store.js';
import { Dispatcher } from './dispatcher.js';
import { emitEvent } from './emit.js';
import { Outbox } from './events.js';
import { bitrix24Faults } from './faults.js';
import { type FrameCommand, type FrameSessionOptions, Frames } from './frame.js';
import {
  type FrameOptions,
  type InstallOptions,
  type InstallResult,
  installApp,
  openFrame,
  uninstallApp,
} from './install.js';
import { CLOUD_OPERATING_LIMIT, type OperatingLimit, type RateLimit } from './limiter.js';
import { allMethods } from './methods/index.js';
import type { SimServices } from './methods/types.js';
import { createOAuthHandler, issueCode } from './oauth-server.js';
import {
  type Bitrix24SimOptions,
  type PortalSeed,
  portalSeedSchema,
  simOptionsSchema,
  type WebhookSeed,
  webhookSeedSchema,
} from './options.js';
import { Portal } from './portal.js';
import { downloadRecord, recordOrigin } from './record-download.js';
import { createRestHandler } from './rest-handler.js';
import { createRouter } from './router.js';
import { Bitrix24State } from './state.js';
import { statePage } from './state-page.js';
import { type CallbackRequest, type ClickToCall, clickToCall, requestCallback } from './telephony-events.js';

export interface Bitrix24Sim {
  /** `https://127.0.0.1:<port>`: what b24jssdk needs (it speaks only HTTPS). */
  readonly url: string;
  /** `http://127.0.0.1:<port>`: the same simulator over plain HTTP (B24OAuth follows it literally). */
  readonly httpUrl: string;
  /** The CA that signed the simulator's certificate; trust it with `trustTestkitCa(sim.ca)`. */
  readonly ca: string;
  readonly state: Bitrix24State;
  readonly faults: Faults;
  readonly clock: Bitrix24Clock;
  /** A portal by key, or the first one. */
  portal(key?: string): Portal;
  addPortal(seed?: PortalSeed): Portal;
  /** Adds an inbound webhook and returns its URL (`…/rest/<user>/<secret>/`). */
  addWebhook(seed?: WebhookSeed, portalKey?: string): string;
  /** The URL of the portal's first webhook for that user (default user 1). */
  webhookUrl(portalKey?: string, userId?: number): string;
  registerApp(seed?: AppSeed): AppRecord;
  /** Installs an app: tokens, ONAPPINSTALL to its event URL, install page POST (§2.1). */
  installApp(clientId: string, options?: InstallOptions & { portal?: string }): Promise<InstallResult>;
  /** What BX24.installFinish() does: events and placements start to work (§2.2). */
  finishInstall(clientId: string, portalKey?: string): void;
  uninstallApp(clientId: string, options?: { portal?: string; clean?: boolean }): Promise<void>;
  /** An authorization code for the app's user, to exchange at `/oauth/token/`. */
  authorize(clientId: string, options?: { portal?: string; userId?: number }): string;
  /** Opens the app's page or a placement (the frame POST of §2.1a). */
  openApp(clientId: string, options?: FrameOptions & { portal?: string }): Promise<number | string>;
  /**
   * A portal page (served by the simulator over HTTPS) that opens the app in an iframe the way
   * the portal does, for browser tests of B24Frame; returns its URL.
   */
  frameUrl(clientId: string, options?: FrameSessionOptions & { portal?: string }): string;
  /** The B24Frame commands the app's pages sent to their parent, in order. */
  readonly frameCommands: readonly FrameCommand[];
  /** A lead nobody in particular created (a web form): ONCRMLEADADD carries no tokens. */
  addFormLead(fields: Row, portalKey?: string): number;
  /**
   * A visitor asks for a call back through a CRM form whose line is the app's: a lead, then
   * ONEXTERNALCALLBACKSTART to that app's bound handlers (on-external-call-back-start.md).
   */
  requestCallback(request: CallbackRequest & { portal?: string }): { leadId: number };
  /** A user clicks a number with the app as the outgoing line: a registered call, then ONEXTERNALCALLSTART. */
  clickToCall(click: ClickToCall & { portal?: string }): { callId: string };
  /** Marks the app's paid period over on a portal: token grants answer PAYMENT_REQUIRED. */
  setPaymentExpired(clientId: string, expired: boolean, portalKey?: string): void;
  /** Overrides the leaky bucket for every portal; undefined restores each plan's, false turns it off. */
  setRateLimit(limit: RateLimit | false | undefined): void;
  setOperatingLimit(limit: OperatingLimit | false): void;
  /**
   * Lets the portal download attachRecord's RECORD_URL from this origin (e.g. a recording server a
   * test started, or another testkit simulator's URL), as if it were a public address.
   */
  allowRecordOrigin(origin: string): void;
  /** Resolves when every outbound POST (events, install) has settled. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a Bitrix24 simulator on loopback: one server (HTTPS + HTTP) for many portals, their REST
 * API, the OAuth server, and the events they send to apps. BITRIX24.md §9 is the specification.
 */
export async function startBitrix24Sim(input: Bitrix24SimOptions = {}): Promise<Bitrix24Sim> {
  const options = simOptionsSchema.parse(input);
  const clock = options.clock ?? systemClock;
  const credentials = new Credentials();
  const state = new Bitrix24State();
  const faults = new Faults(bitrix24Faults.badGateway);
  const outbox = new Outbox(clock);
  let httpsServer: SimServer | undefined;
  const serverEndpoint = () => `${httpsServer?.url ?? ''}/rest/`;
  const apps = new Apps({ clock, credentials, outbox, serverEndpoint });
  const installDeps = { apps, credentials, outbox, clock };
  let rateLimit: RateLimit | false | undefined = options.rateLimit;
  const dispatcher = new Dispatcher(
    allMethods,
    options.operatingLimit === undefined ? CLOUD_OPERATING_LIMIT : options.operatingLimit,
  );
  const recordDownloads = {
    publicOrigins: new Set(options.publicRecordOrigins.map(recordOrigin)),
    timeoutMs: options.recordDownloadTimeoutMs,
  };
  const services: SimServices = {
    emit: (portal, event, data, cause) => emitEvent(installDeps, portal, event, data, cause),
    call: (method, params, ctx) => dispatcher.call(method, params, ctx),
    download: (url) => downloadRecord(url, recordDownloads),
  };
  const rest = createRestHandler({
    clock,
    credentials,
    dispatcher,
    services,
    rateLimit: () => rateLimit,
    httpsOnly: options.httpsOnly,
  });
  const oauth = createOAuthHandler({
    apps,
    credentials,
    clock,
    serverEndpoint,
    record: (request) => state.tokenRequests.push(request),
  });
  const frames = new Frames({ apps, credentials, clock, origin: () => httpsServer?.url ?? '' });

  const handler = createRouter({
    faults,
    statePage: () => statePage(state.portals.values()),
    oauth: (req, res, _path, query) => oauth(req, res, query),
    rest,
    frame: (req, res, path) => frames.handle(req, res, path),
  });
  const certificates = await testkitCertificates();
  httpsServer = await listenOnLoopback(handler, { port: options.port, tls: certificates });
  const httpServer = await listenOnLoopback(handler, { port: options.httpPort });
  const https = httpsServer;

  function addWebhook(seedInput: WebhookSeed = {}, portalKey?: string): string {
    const seed = webhookSeedSchema.parse(seedInput);
    const portal = state.portal(portalKey);
    const secret = seed.secret ?? credentials.token().slice(-16);
    credentials.addWebhook({
      portal,
      userId: seed.userId,
      secret,
      scopes: seed.scopes ? new Set(seed.scopes) : undefined,
    });
    return `${https.url}/rest/${seed.userId}/${secret}/`;
  }

  function addPortal(seedInput: PortalSeed = {}): Portal {
    const seed = portalSeedSchema.parse(seedInput);
    const key = seed.key ?? (state.portals.size === 0 ? 'portal' : `portal${state.portals.size + 1}`);
    if (state.portals.has(key)) throw new Error(`portal ${key} exists already`);
    const portal = new Portal(key, seed.memberId ?? credentials.token().slice(-32), {
      offsetMinutes: seed.offsetMinutes,
      plan: seed.plan,
      domain: seed.domain,
      endpoint: () => https.url,
      users: seed.users,
    });
    state.portals.set(key, portal);
    for (const webhook of seed.webhooks) addWebhook(webhook, key);
    return portal;
  }

  for (const seed of options.portals ?? [{}]) addPortal(seed);
  for (const seed of options.apps) apps.register(seed);

  const app = (clientId: string) => {
    const found = apps.get(clientId);
    if (found === undefined) throw new Error(`no app ${clientId} registered`);
    return found;
  };

  return {
    url: https.url,
    httpUrl: httpServer.url,
    ca: certificates.ca,
    state,
    faults,
    clock,
    portal: (key) => state.portal(key),
    addPortal,
    addWebhook,
    webhookUrl(portalKey, userId = 1) {
      const portal = state.portal(portalKey);
      for (const webhook of credentials.webhooks.values()) {
        if (webhook.portal === portal && webhook.userId === userId) {
          return `${https.url}/rest/${webhook.userId}/${webhook.secret}/`;
        }
      }
      throw new Error(`portal ${portal.key} has no webhook for user ${userId}`);
    },
    registerApp: (seed) => apps.register(seed),
    installApp: (clientId, opts = {}) =>
      installApp(installDeps, state.portal(opts.portal), app(clientId), opts),
    finishInstall(clientId, portalKey) {
      const install = state.portal(portalKey).installs.get(clientId);
      if (install === undefined) throw new Error(`${clientId} is not installed`);
      install.finished = true;
    },
    uninstallApp: (clientId, opts = {}) =>
      uninstallApp(installDeps, state.portal(opts.portal), app(clientId), opts.clean),
    authorize: (clientId, opts = {}) =>
      issueCode(
        { apps, credentials, clock, serverEndpoint },
        { portal: state.portal(opts.portal), clientId: app(clientId).clientId, userId: opts.userId ?? 1 },
      ),
    openApp(clientId, opts = {}) {
      const portal = state.portal(opts.portal);
      const install = portal.installs.get(clientId);
      if (install === undefined) throw new Error(`${clientId} is not installed`);
      return openFrame(installDeps, portal, app(clientId), install, opts);
    },
    frameUrl: (clientId, opts = {}) => frames.open(state.portal(opts.portal), app(clientId), opts),
    frameCommands: frames.commands,
    addFormLead(fields, portalKey) {
      const portal = state.portal(portalKey);
      const id = portal.leads.add(fields, portal.writeContext(1, clock.now()));
      emitEvent(installDeps, portal, 'ONCRMLEADADD', { FIELDS: { ID: String(id) } }, { userId: undefined });
      return id;
    },
    requestCallback: ({ portal, ...request }) => requestCallback(installDeps, state.portal(portal), request),
    clickToCall: ({ portal, ...click }) => clickToCall(installDeps, services, state.portal(portal), click),
    setPaymentExpired(clientId, expired, portalKey) {
      const { memberId } = state.portal(portalKey);
      if (expired) app(clientId).paymentExpired.add(memberId);
      else app(clientId).paymentExpired.delete(memberId);
    },
    setRateLimit(limit) {
      rateLimit = limit;
    },
    setOperatingLimit(limit) {
      dispatcher.operatingLimit = limit;
    },
    allowRecordOrigin(origin) {
      recordDownloads.publicOrigins.add(recordOrigin(origin));
    },
    idle: () => outbox.idle(),
    async close() {
      await outbox.close();
      await Promise.all([https.close(), httpServer.close()]);
    },
  };
}
