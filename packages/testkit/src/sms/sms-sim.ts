import type { IncomingMessage, ServerResponse } from 'node:http';
import { Faults, type InjectedError, sendInjected } from '../core/faults.js';
import { listenOnLoopback } from '../core/loopback-server.js';
import { BodyError, readBody, sendJson } from '../core/read-body.js';
import { renderStatePage, sendHtml } from '../core/state-page.js';
import type { SmsBehaviour } from './behaviour.js';
import {
  SMSC_TEST_APIKEY,
  SMSC_TEST_LOGIN,
  SMSC_TEST_PASSWORD,
  SMSRU_TEST_API_ID,
  SMSRU_TEST_SENDER,
  TWILIO_TEST_ACCOUNT_SID,
  TWILIO_TEST_AUTH_TOKEN,
  TWILIO_TEST_FROM,
  TWILIO_TEST_MESSAGING_SERVICE_SID,
} from './credentials.js';
import type {
  GatewayRequest,
  GatewayResponse,
  SmscConfig,
  SmsRuConfig,
  TwilioConfig,
} from './gateway-context.js';
import { SmsState } from './sms-state.js';
import { createSmscHandler } from './smsc.js';
import { handleSmsRu } from './smsru.js';
import { handleTwilio } from './twilio.js';

export interface SmsSimOptions {
  /** 0 (default): any free port. */
  port?: number;
  /** Milliseconds since the epoch; drives duplicate windows and dates. Default `Date.now`. */
  now?: () => number;
  smsru?: Partial<SmsRuConfig>;
  smsc?: Partial<SmscConfig>;
  twilio?: Partial<TwilioConfig>;
}

export interface SmsSim {
  /** Base URL for all three gateways: `${url}/sms/send`, `${url}/sys/send.php`, `${url}/2010-04-01/…`. */
  readonly url: string;
  readonly port: number;
  readonly state: SmsState;
  /** Transport faults for every gateway route (not the state page). */
  readonly faults: Faults;
  /** The live settings; a test may change a balance mid-run. */
  readonly config: { smsru: SmsRuConfig; smsc: SmscConfig; twilio: TwilioConfig };
  /** SMS.ru's provider settings for this simulator's test account (`{ kind: 'smsru', config }`). */
  readonly smsruProvider: {
    readonly kind: 'smsru';
    readonly config: { readonly apiId: string; readonly sender: string; readonly baseUrl: string };
  };
  /** How the network treats one number from now on, whichever gateway sends to it. */
  behave(phone: string, behaviour: SmsBehaviour): void;
  close(): Promise<void>;
}

/**
 * What an overloaded or broken gateway front end gives: a bare 503 from its web server. The same
 * for all three gateways, since it comes from before any of their APIs.
 */
export const SMS_DEFAULT_FAULT: InjectedError = {
  status: 503,
  body: '503 Service Temporarily Unavailable',
  headers: { 'content-type': 'text/html' },
};

/**
 * One loopback server for SMS.ru, SMSC.ru and Twilio. One server rather than three: their routes
 * do not overlap, a test or the demo points whichever adapter it uses at the same URL, per-number
 * behaviours apply across gateways, and one state page shows every SMS the product sent.
 */
export async function startSmsSim(options: SmsSimOptions = {}): Promise<SmsSim> {
  const now = options.now ?? Date.now;
  const state = new SmsState();
  const faults = new Faults(SMS_DEFAULT_FAULT);
  const config = {
    smsru: {
      apiId: SMSRU_TEST_API_ID,
      senders: [SMSRU_TEST_SENDER],
      balance: 1000,
      pricePerPart: 3.5,
      ...options.smsru,
    },
    smsc: {
      login: SMSC_TEST_LOGIN,
      password: SMSC_TEST_PASSWORD,
      apiKey: SMSC_TEST_APIKEY,
      senders: [SMSRU_TEST_SENDER],
      balance: 1000,
      pricePerPart: 3.2,
      ...options.smsc,
    },
    twilio: {
      accountSid: TWILIO_TEST_ACCOUNT_SID,
      authToken: TWILIO_TEST_AUTH_TOKEN,
      from: [TWILIO_TEST_FROM],
      messagingServiceSids: [TWILIO_TEST_MESSAGING_SERVICE_SID],
      ...options.twilio,
    },
  };
  const smsc = createSmscHandler({ state, config: config.smsc, now });

  function route(req: GatewayRequest): GatewayResponse {
    if (req.path.startsWith('/sms/') || req.path.startsWith('/my/'))
      return handleSmsRu({ state, config: config.smsru, now }, req);
    if (req.path.startsWith('/sys/')) return smsc(req);
    if (req.path.startsWith('/2010-04-01/')) return handleTwilio({ state, config: config.twilio, now }, req);
    return { status: 404, body: 'Not Found', text: true };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    if (req.method === 'GET' && url.pathname === '/') {
      sendHtml(res, statePage(state));
      return;
    }
    const injected = await faults.next();
    if (injected) {
      sendInjected(res, injected);
      return;
    }
    const body = await readBody(req);
    const answer = route({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      rawBody: body.raw,
      contentType: (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '',
      headers: req.headers,
    });
    if (answer.text) {
      res.writeHead(answer.status, { 'content-type': 'text/plain; charset=utf-8', ...answer.headers });
      res.end(String(answer.body));
    } else {
      sendJson(res, answer.status, answer.body, answer.headers);
    }
  }

  const server = await listenOnLoopback(
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        if (res.headersSent) return res.destroy();
        if (error instanceof BodyError) return sendJson(res, error.status, { error: error.message });
        sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
      });
    },
    options.port === undefined ? {} : { port: options.port },
  );

  return {
    url: server.url,
    port: server.port,
    state,
    faults,
    config,
    smsruProvider: {
      kind: 'smsru',
      config: { apiId: SMSRU_TEST_API_ID, sender: SMSRU_TEST_SENDER, baseUrl: server.url },
    },
    behave: (phone, behaviour) => state.setBehaviour(phone, behaviour),
    close: () => server.close(),
  };
}

function statePage(state: SmsState): string {
  return renderStatePage('SMS gateways simulator (SMS.ru, SMSC.ru, Twilio)', [
    {
      heading: 'Messages',
      rows: state.messages.map((m) => ({
        at: m.at,
        gateway: m.gateway,
        to: m.to,
        status: m.status,
        code: m.code,
        test: m.test || undefined,
        id: m.id,
        from: m.from,
        text: m.text,
      })),
    },
    { heading: 'Refused requests', rows: state.rejections },
  ]);
}
