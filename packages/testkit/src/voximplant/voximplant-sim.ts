import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Faults, sendInjected } from '../core/faults.js';
import { listenOnLoopback, type SimServer } from '../core/loopback-server.js';
import { BodyError, readBody, sendJson } from '../core/read-body.js';
import { renderStatePage, sendHtml } from '../core/state-page.js';
import { testkitCertificates } from '../tls/certificates.js';
import { apiError, VOXIMPLANT_DEFAULT_FAULT, VOXIMPLANT_INSUFFICIENT_FUNDS } from './api-errors.js';
import {
  generateServiceKey,
  VOXIMPLANT_TEST_ACCOUNT_ID,
  VOXIMPLANT_TEST_API_KEY,
  VOXIMPLANT_TEST_RULE_ID,
  type VoximplantServiceKey,
} from './credentials.js';
import { handleManagementApi, type ManagementContext } from './management-api.js';
import { VoximplantPlatform } from './platform-objects.js';
import { type PhonePreset, resolvePhone, type VirtualPhone } from './virtual-phone.js';
import { runScenario } from './voxengine-standin.js';
import { type SimScenarioSession, VoximplantState } from './voximplant-state.js';

export interface VoximplantSimOptions {
  /**
   * A scenario set up by hand: when given, the account has an application `preset` with this
   * scenario bound to each of `ruleIds` (the adapter's prozvon-callback.js, say). Without it the
   * account starts empty, and only what the provisioning methods upload and bind runs.
   */
  readonly scenarioSource?: string;
  readonly scenarioName?: string;
  /** The account's name, in full application names `<app>.<account>.voximplant.com`. Default 'testaccount'. */
  readonly accountName?: string;
  /** 0 (default): any free port. */
  readonly port?: number;
  /** Serve HTTPS with the testkit's CA (like api.voximplant.com); default plain HTTP. */
  readonly tls?: boolean;
  readonly accountId?: number;
  /** The preset rules (with `scenarioSource`); default [VOXIMPLANT_TEST_RULE_ID]. */
  readonly ruleIds?: readonly number[];
  readonly apiKey?: string;
  /** Service-account keys the API accepts; default one generated for this run (`sim.serviceKey`). */
  readonly serviceKeys?: readonly VoximplantServiceKey[];
  /** Behaviour per dialled number (E.164 digits); others get `defaultPhone` ('answers'). */
  readonly phones?: Readonly<Record<string, VirtualPhone | PhonePreset>>;
  readonly defaultPhone?: VirtualPhone | PhonePreset;
  /** Real ms per virtual ms in scenarios (ringing 60 s takes 60 ms at 0.001). Default 1. */
  readonly timeScale?: number;
  /** Real ms before an ended session shows in GetCallHistory. Default 0. */
  readonly historyLagMs?: number;
  /** The account's money; default 'enough'. */
  readonly funds?: AccountFunds;
  /** Which URLs scenarios may reach over HTTP; default loopback only. */
  readonly allowUrl?: (url: URL) => boolean;
  readonly now?: () => number;
}

/**
 * How an empty balance shows. Which of the two a real account with no money sees (or both, by
 * how empty it is) is unverified, so the simulator offers each:
 * - 'calls-fail': sessions start, and every call fails 402 "Insufficient funds" (the 'no-funds' phone);
 * - 'start-refused': StartScenarios answers VOXIMPLANT_INSUFFICIENT_FUNDS and starts nothing.
 */
export type AccountFunds = 'enough' | 'calls-fail' | 'start-refused';

export interface VoximplantSim {
  /** Base URL: the management API is at `${url}/platform_api/<Method>`. The adapter's `apiBase`. */
  readonly url: string;
  readonly port: number;
  /** PEM of the CA to trust when `tls` is on. */
  readonly ca: string | undefined;
  readonly accountId: number;
  /** The first preset rule (it exists only when `scenarioSource` was given). */
  readonly ruleId: number;
  /** Applications, scenarios and rules, as the provisioning methods left them. */
  readonly platform: VoximplantPlatform;
  /** The first service key: what the adapter under test is configured with. */
  readonly serviceKey: VoximplantServiceKey;
  /**
   * The voice adapter's account settings for this simulator (`accountId`, `keyId`, `privateKey`,
   * `ruleId`, `apiBase`): what a test, the demo or a bench configures the adapter or the app with.
   */
  readonly account: {
    readonly accountId: number;
    readonly keyId: string;
    readonly privateKey: string;
    readonly ruleId: number;
    readonly apiBase: string;
  };
  readonly state: VoximplantState;
  readonly faults: Faults;
  /** Sets how a number behaves from the next call on. */
  phone(number: string, behaviour: VirtualPhone | PhonePreset): void;
  /** Empties (or refills) the account from the next request or call on. */
  setFunds(funds: AccountFunds): void;
  close(): Promise<void>;
}

/**
 * A loopback Voximplant: the management API (StartScenarios, GetCallHistory, and the provisioning
 * methods for applications, scenarios and rules) with its auth and its errors, and for each
 * started session the scenarios bound to its rule run in the VoxEngine stand-in, so the real
 * scenario fetches its plan and posts its result over loopback.
 */
export async function startVoximplantSim(options: VoximplantSimOptions): Promise<VoximplantSim> {
  const now = options.now ?? Date.now;
  const accountId = options.accountId ?? VOXIMPLANT_TEST_ACCOUNT_ID;
  const serviceKeys = options.serviceKeys ?? [generateServiceKey(accountId)];
  const serviceKey = serviceKeys[0];
  if (serviceKey === undefined) throw new RangeError('serviceKeys must hold at least one key');
  const ruleIds = options.ruleIds ?? [VOXIMPLANT_TEST_RULE_ID];
  const phones = new Map<string, VirtualPhone>(
    Object.entries(options.phones ?? {}).map(([number, phone]) => [number, resolvePhone(phone)]),
  );
  const defaultPhone = resolvePhone(options.defaultPhone);
  const state = new VoximplantState();
  const platform = new VoximplantPlatform(options.accountName ?? 'testaccount', now);
  if (options.scenarioSource !== undefined) {
    const preset = platform.addApplication('preset');
    const scenario = platform.addScenario(
      options.scenarioName ?? 'scenario.js',
      options.scenarioSource,
      preset.id,
    );
    for (const id of ruleIds)
      platform.addRule({
        id,
        applicationId: preset.id,
        name: `rule ${id}`,
        pattern: '.*',
        patternExclude: undefined,
        videoConference: false,
        scenarioIds: [scenario.id],
      });
  }
  const faults = new Faults(VOXIMPLANT_DEFAULT_FAULT);
  const certificates = options.tls ? await testkitCertificates() : undefined;
  let server: SimServer | undefined;
  let nextSessionId = 2_000_000_001;
  let funds: AccountFunds = options.funds ?? 'enough';
  const noFunds = resolvePhone('insufficient-funds');

  const ctx: ManagementContext = {
    state,
    accountId,
    apiKey: options.apiKey ?? VOXIMPLANT_TEST_API_KEY,
    keys: new Map(serviceKeys.map((key) => [key.keyId, key.publicKey])),
    platform,
    historyLagMs: options.historyLagMs ?? 0,
    now,
    startRefusal: () => (funds === 'start-refused' ? VOXIMPLANT_INSUFFICIENT_FUNDS : undefined),
    accessUrls(session) {
      const path = `/request/${session.sessionId}/${session.accessToken}`;
      const port = server?.port ?? 0;
      return { http: `http://127.0.0.1:${port}${path}`, https: `https://127.0.0.1:${port}${path}` };
    },
    startSession({ rule, application, scenarios }, customData) {
      const sessionId = nextSessionId++;
      const accessToken = randomBytes(12).toString('hex');
      const partial = {
        sessionId,
        ruleId: rule.id,
        ruleName: rule.name,
        applicationId: application.id,
        applicationName: application.name,
        customData,
        accessToken,
      };
      // The rule's scenarios run "in the same space", in order (basic concepts → scenarios); the
      // texts are read now, so an update reaches the next session, never a running one.
      const standin = runScenario({
        scenarioSource: scenarios.map((s) => s.script).join('\n;\n'),
        scenarioName: scenarios.map((s) => s.name).join('+'),
        customData,
        sessionId,
        accountId,
        applicationId: application.id,
        phoneFor: (number) => (funds === 'calls-fail' ? noFunds : (phones.get(number) ?? defaultPhone)),
        ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }),
        ...(options.allowUrl === undefined ? {} : { allowUrl: options.allowUrl }),
        accessUrls: ctx.accessUrls({ ...partial } as SimScenarioSession),
      });
      const session: SimScenarioSession = { ...partial, standin, record: standin.record };
      state.sessions.push(session);
      return session;
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    if (req.method === 'GET' && url.pathname === '/') {
      sendHtml(res, statePage(state, platform));
      return;
    }
    const media = /^\/request\/(\d+)\/([0-9a-f]+)$/.exec(url.pathname);
    if (media !== null) {
      const session = state.session(Number(media[1]));
      const body = await readBody(req);
      // The media-session URL is a bearer capability: a wrong token or an ended session is not found.
      if (session === undefined || session.accessToken !== media[2] || session.record.endedAt !== null) {
        sendJson(res, 404, { error: 'session not found' });
        return;
      }
      session.standin.httpRequest({ method: req.method ?? 'POST', path: url.pathname, content: body.raw });
      sendJson(res, 200, {});
      return;
    }
    const api = /^\/platform_api(?:\/([A-Za-z]+))?\/?$/.exec(url.pathname);
    if (api === null) {
      sendJson(res, 404, { error: 'not found' });
      return;
    }
    const injected = await faults.next();
    if (injected) {
      sendInjected(res, injected);
      return;
    }
    const params = await requestParams(req, url);
    const method = api[1] ?? params.get('cmd') ?? '';
    if (method === '') {
      sendJson(res, 200, apiError(102, "The 'cmd' parameter is missing"));
      return;
    }
    const answer = handleManagementApi(ctx, method, params, req.headers.authorization);
    const error = (answer as { error?: { code: number } }).error;
    state.apiRequests.push({
      at: now(),
      method,
      params: Object.fromEntries([...params].filter(([name]) => name !== 'api_key')),
      answer: error === undefined ? 'ok' : error.code,
    });
    sendJson(res, 200, answer);
  }

  server = await listenOnLoopback(
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        if (res.headersSent) return res.destroy();
        if (error instanceof BodyError) return sendJson(res, error.status, apiError(101, error.message));
        sendJson(res, 500, apiError(2, 'Internal error'));
      });
    },
    {
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(certificates ? { tls: certificates } : {}),
    },
  );
  const listening = server;

  const ruleId = ruleIds[0] ?? VOXIMPLANT_TEST_RULE_ID;
  return {
    url: listening.url,
    port: listening.port,
    ca: certificates?.ca,
    accountId,
    ruleId,
    account: {
      accountId,
      keyId: serviceKey.keyId,
      privateKey: serviceKey.privateKey,
      ruleId,
      apiBase: listening.url,
    },
    platform,
    serviceKey,
    state,
    faults,
    phone: (number, behaviour) => void phones.set(number, resolvePhone(behaviour)),
    setFunds(next) {
      funds = next;
    },
    async close() {
      // Sessions still running are ended, so nothing they scheduled outlives the simulator.
      for (const session of state.sessions) session.standin.kill('Terminated administratively');
      await listening.close();
    },
  };
}

/** Query, form-urlencoded and multipart parameters together (the official client sends multipart). */
async function requestParams(req: IncomingMessage, url: URL): Promise<URLSearchParams> {
  const params = new URLSearchParams(url.searchParams);
  const body = await readBody(req);
  for (const [name, value] of body.form ?? []) params.set(name, value);
  return params;
}

function statePage(state: VoximplantState, platform: VoximplantPlatform): string {
  return renderStatePage('Voximplant simulator', [
    {
      heading: 'Applications, scenarios and rules',
      rows: platform.rules.map((r) => ({
        application: platform.application(r.applicationId)?.name ?? r.applicationId,
        rule: `${r.id} ${r.name}`,
        pattern: r.pattern,
        scenarios: r.scenarioIds.map((id) => `${id} ${platform.scenario(id)?.name ?? '?'}`).join(', '),
      })),
    },
    {
      heading: 'Scenario sessions',
      rows: state.sessions.map((s) => ({
        session: s.sessionId,
        rule: s.ruleId,
        custom_data: s.customData,
        started: new Date(s.record.startedAt),
        finish_reason: s.record.finishReason ?? 'running',
      })),
    },
    {
      heading: 'Calls',
      rows: state.calls.map((c) => ({
        session: c.sessionId,
        number: c.number,
        caller_id: c.callerId,
        answered: c.successful,
        amd: c.amdVerdict,
        end: c.endReason,
        duration: c.durationSec,
        played: c.played,
        failed_plays: c.failedPlays,
      })),
    },
    {
      heading: 'Requests made by scenarios',
      rows: state.callbacks.map((r) => ({
        session: r.sessionId,
        method: r.method,
        url: r.url,
        code: r.code,
        body: r.body,
      })),
    },
    { heading: 'Management API requests', rows: state.apiRequests },
  ]);
}
