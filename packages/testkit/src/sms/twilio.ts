import { randomBytes } from 'node:crypto';
import { parseForm } from '../core/form.js';
import type { GatewayContext, GatewayRequest, GatewayResponse, TwilioConfig } from './gateway-context.js';
import { isE164 } from './phone.js';
import { smsParts } from './segments.js';

type Ctx = GatewayContext<TwilioConfig>;

const API = '/2010-04-01';
const MAX_BODY = 1600;

/**
 * Twilio's error JSON (MESSAGING.md §3). Codes 20003, 20429, 21211, 21610 are from the fact sheet;
 * 20005, 20404, 20503, 21602–21604, 21606, 21617 and 21701 are from Twilio's error catalogue as
 * remembered, not verified here.
 */
export function twilioError(status: number, code: number, message: string): GatewayResponse {
  return {
    status,
    body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
    ...(status === 401 ? { headers: { 'www-authenticate': 'Basic realm="Twilio API"' } } : {}),
  };
}

export function handleTwilio(ctx: Ctx, req: GatewayRequest): GatewayResponse {
  const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages(?:\/([^/]+))?\.json$/.exec(req.path);
  if (!authorised(ctx, req.headers.authorization)) {
    ctx.state.reject('twilio', 20003, 'Authenticate', new Date(ctx.now()));
    return twilioError(401, 20003, 'Authenticate');
  }
  if (!match || match[1] !== ctx.config.accountSid) {
    return twilioError(404, 20404, `The requested resource ${req.path} was not found`);
  }
  const messageSid = match[2];
  if (messageSid === undefined && req.method === 'POST') return create(ctx, req);
  if (messageSid === undefined && req.method === 'GET') return list(ctx, req.query);
  if (messageSid !== undefined && req.method === 'GET') {
    const found = ctx.state.messages.find((m) => m.gateway === 'twilio' && m.id === messageSid);
    return found
      ? { status: 200, body: resource(ctx, found) }
      : twilioError(404, 20404, `The requested resource ${req.path} was not found`);
  }
  return twilioError(405, 20004, 'Method not allowed');
}

/** HTTP Basic with the Account SID and auth token (API keys are not simulated). */
function authorised(ctx: Ctx, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string' || !header.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  return decoded === `${ctx.config.accountSid}:${ctx.config.authToken}`;
}

function create(ctx: Ctx, req: GatewayRequest): GatewayResponse {
  // Twilio's 2010 API reads form fields only: a JSON body simply has no `To` (21604).
  const form =
    req.contentType === 'application/x-www-form-urlencoded' ? parseForm(req.rawBody) : new URLSearchParams();
  const to = form.get('To') ?? '';
  const from = form.get('From') ?? '';
  const service = form.get('MessagingServiceSid') ?? '';
  const body = form.get('Body') ?? '';
  const refuse = (status: number, code: number, message: string): GatewayResponse => {
    ctx.state.reject('twilio', code, message, new Date(ctx.now()));
    return twilioError(status, code, message);
  };
  if (to === '') return refuse(400, 21604, "A 'To' phone number is required.");
  if (from === '' && service === '') return refuse(400, 21603, "A 'From' phone number is required.");
  if (body === '' && !form.has('MediaUrl') && !form.has('ContentSid'))
    return refuse(400, 21602, 'Message body is required.');
  if (body.length > MAX_BODY)
    return refuse(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
  if (from !== '' && !ctx.config.from.includes(from)) {
    return refuse(
      400,
      21606,
      `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`,
    );
  }
  if (service !== '' && !ctx.config.messagingServiceSids.includes(service)) {
    return refuse(400, 21701, `The Messaging Service Sid ${service} is invalid.`);
  }
  const behaviour = ctx.state.behaviourOf(to);
  if (!isE164(to) || behaviour === 'bad_number') return fail(400, 21211, `Invalid 'To' Phone Number: ${to}`);
  if (behaviour === 'blocked') return fail(400, 21610, 'Attempt to send to unsubscribed recipient');
  if (behaviour === 'rate_limited') return refuse(429, 20429, 'Too Many Requests');
  if (behaviour === 'out_of_funds') return refuse(401, 20005, 'Account not active');
  if (behaviour === 'provider_down') return refuse(503, 20503, 'Service Unavailable');

  const record = {
    gateway: 'twilio' as const,
    id: `SM${randomBytes(16).toString('hex')}`,
    to,
    text: body,
    ...(from === '' ? {} : { from }),
    ...(service === '' ? {} : { clientId: service }),
    status: 'sent' as const,
    test: false,
    parts: smsParts(body),
    at: new Date(ctx.now()),
  };
  ctx.state.messages.push(record);
  return { status: 201, body: resource(ctx, record) };

  /** A per-recipient refusal is also kept as a failed message, so tests see which number failed. */
  function fail(status: number, code: number, message: string): GatewayResponse {
    const at = new Date(ctx.now());
    ctx.state.messages.push({
      gateway: 'twilio',
      id: '',
      to,
      text: body,
      status: 'failed',
      code,
      test: false,
      parts: smsParts(body),
      at,
      ...(from === '' ? {} : { from }),
    });
    return twilioError(status, code, message);
  }
}

type Sent = Ctx['state']['messages'][number];

/** The Message resource as Twilio returns it: snake_case, RFC 2822 dates, numbers as strings. */
function resource(ctx: Ctx, m: Sent): Record<string, unknown> {
  const uri = `${API}/Accounts/${ctx.config.accountSid}/Messages/${m.id}`;
  const date = m.at.toUTCString().replace('GMT', '+0000');
  const viaService = m.clientId !== undefined;
  return {
    account_sid: ctx.config.accountSid,
    api_version: '2010-04-01',
    body: m.text,
    date_created: date,
    date_sent: null,
    date_updated: date,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: m.from ?? null,
    messaging_service_sid: m.clientId ?? null,
    num_media: '0',
    num_segments: String(m.parts),
    price: null,
    price_unit: 'USD',
    sid: m.id,
    // With a Messaging Service Twilio first answers `accepted`, with a From number `queued`.
    status: viaService ? 'accepted' : 'queued',
    subresource_uris: { media: `${uri}/Media.json` },
    to: m.to,
    uri: `${uri}.json`,
  };
}

/**
 * The Messages list, filtered by `To`, `From` and `DateSent` (YYYY-MM-DD, matched against the
 * creation day because simulated messages stay queued), newest first, one page.
 */
function list(ctx: Ctx, query: URLSearchParams): GatewayResponse {
  const to = query.get('To');
  const from = query.get('From');
  const day = query.get('DateSent');
  const messages = ctx.state.messages
    .filter((m) => m.gateway === 'twilio' && m.status === 'sent')
    .filter((m) => (to === null || m.to === to) && (from === null || m.from === from))
    .filter((m) => day === null || m.at.toISOString().slice(0, 10) === day)
    .reverse();
  const pageSize = Math.min(Number(query.get('PageSize') ?? 50) || 50, 1000);
  const page = messages.slice(0, pageSize);
  const uri = `${API}/Accounts/${ctx.config.accountSid}/Messages.json?PageSize=${pageSize}&Page=0`;
  return {
    status: 200,
    body: {
      messages: page.map((m) => resource(ctx, m)),
      end: Math.max(page.length - 1, 0),
      first_page_uri: uri,
      next_page_uri: null,
      page: 0,
      page_size: pageSize,
      previous_page_uri: null,
      start: 0,
      uri,
    },
  };
}
