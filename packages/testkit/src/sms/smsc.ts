import { mergedParams, parseForm } from '../core/form.js';
import type { GatewayContext, GatewayRequest, GatewayResponse, SmscConfig } from './gateway-context.js';
import { isRoutable, phoneDigits } from './phone.js';
import { smsParts } from './segments.js';

// SMSC.ru error codes (MESSAGING.md §2). The English descriptions are what the fmt=3 API is
// remembered to answer; they are not in the fact sheet — clients must branch on error_code.
const ERRORS: Record<number, string> = {
  1: 'parameters error',
  2: 'authorise error',
  3: 'no money',
  4: 'IP is blocked',
  6: 'message is denied',
  7: 'invalid number',
  8: "can't deliver",
  9: 'duplicate request, wait a minute',
};
/** Codes whose error answer carries the message id (MESSAGING.md §2). */
const WITH_ID = new Set([3, 6, 7, 8]);
const DUPLICATE_WINDOW_MS = 60_000;
const MAX_TEXT = 1000;

type Ctx = GatewayContext<SmscConfig>;
type Outcome = { ok: Record<string, unknown> } | { error: number; id?: number | string };

/** Creates the SMSC handler; it remembers recent requests for the duplicate check (error 9). */
export function createSmscHandler(ctx: Ctx): (req: GatewayRequest) => GatewayResponse {
  const recentRequests = new Map<string, number>();
  return (req) => {
    // Forget requests older than the duplicate window, so a long demo run does not grow the map.
    for (const [key, at] of recentRequests)
      if (at < ctx.now() - DUPLICATE_WINDOW_MS) recentRequests.delete(key);
    const params = decodeParams(req);
    const fmt = params.get('fmt') ?? '0';
    const refuse = (code: number, id?: number | string): GatewayResponse => {
      ctx.state.reject('smsc', code, ERRORS[code] ?? String(code), new Date(ctx.now()));
      return answer(fmt, { error: code, ...(id === undefined ? {} : { id }) });
    };
    const byKey = params.get('apikey');
    const authorised =
      byKey !== null
        ? byKey === ctx.config.apiKey
        : params.get('login') === ctx.config.login && params.get('psw') === ctx.config.password;
    if (!authorised) return refuse(2);
    if (req.path === '/sys/send.php') return send(ctx, params, recentRequests, fmt, refuse);
    if (req.path === '/sys/status.php') return status(ctx, params, fmt, refuse);
    return { status: 404, body: 'Not Found', text: true };
  };
}

/**
 * SMSC decodes text as windows-1251 unless `charset=utf-8` (or koi8-r) is given, so a client that
 * forgets the charset gets mojibake in `state.messages` — as the customer would on their phone.
 * (The windows-1251 default is marked unverified in MESSAGING.md.)
 */
function decodeParams(req: GatewayRequest): URLSearchParams {
  const isForm = req.contentType === 'application/x-www-form-urlencoded';
  const probe = mergedParams(req.query, isForm ? parseForm(req.rawBody) : undefined);
  const charset = (probe.get('charset') ?? '').toLowerCase();
  const encoding = charset === 'utf-8' || charset === 'koi8-r' ? charset : 'windows-1251';
  const rawQuery = [...req.query]
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  // The query arrives already decoded by URL (as UTF-8); only a body keeps its original bytes.
  return mergedParams(parseForm(rawQuery), isForm ? parseForm(req.rawBody, encoding) : undefined);
}

function send(
  ctx: Ctx,
  params: URLSearchParams,
  recentRequests: Map<string, number>,
  fmt: string,
  refuse: (code: number, id?: number | string) => GatewayResponse,
): GatewayResponse {
  const phones = (params.get('phones') ?? '')
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const text = params.get('mes') ?? '';
  const clientId = params.get('id');
  if (phones.length === 0 || text === '' || text.length > MAX_TEXT) return refuse(1);
  if (clientId !== null && !validId(clientId)) return refuse(1);
  const sender = params.get('sender');
  const now = ctx.now();

  const key = JSON.stringify([
    params.get('login') ?? params.get('apikey'),
    phones,
    text,
    sender,
    params.get('cost'),
  ]);
  const last = recentRequests.get(key);
  recentRequests.set(key, now);
  if (last !== undefined && now - last < DUPLICATE_WINDOW_MS) return refuse(9);

  const id: number | string =
    clientId === null ? ctx.state.nextSequence() : /^\d+$/.test(clientId) ? Number(clientId) : clientId;
  if (sender !== null && sender !== '' && sender !== '.' && !ctx.config.senders.includes(sender))
    return refuse(6, id);
  const behaviours = phones.map((p) => ctx.state.behaviourOf(p));
  if (behaviours.includes('provider_down')) {
    // Assumption (unverified): SMSC has no error code for its own outage; the web server answers 503.
    return { status: 503, body: '503 Service Temporarily Unavailable', text: true };
  }
  if (behaviours.includes('rate_limited')) return refuse(4);
  if (behaviours.includes('out_of_funds')) return refuse(3, id);

  const parts = smsParts(text);
  const costMode = params.get('cost') ?? '0';
  const perNumber = phones.map((phone) => ({ phone, code: numberError(ctx, phone) }));
  const sendable = perNumber.filter((p) => p.code === undefined);
  const cost = sendable.length * parts * ctx.config.pricePerPart;
  if (costMode === '1') return answer(fmt, { ok: { cost: money(cost), cnt: sendable.length * parts } });
  const test = params.get('test') === '1';
  if (!test && cost > ctx.config.balance + 1e-9) return refuse(3, id);

  const at = new Date(now);
  for (const { phone, code } of perNumber) {
    const base = { gateway: 'smsc' as const, to: phone, text, test, parts, at, clientId: String(id) };
    const from = sender ? { from: sender } : {};
    if (code === undefined) ctx.state.messages.push({ ...base, ...from, id: String(id), status: 'sent' });
    else ctx.state.messages.push({ ...base, ...from, id: '', status: 'failed', code });
  }
  // Assumption (unverified): with several numbers SMSC sends to the good ones and reports an error
  // only when none can be sent; Prozvon always sends to one number.
  const firstError = perNumber[0]?.code;
  if (sendable.length === 0 && firstError !== undefined) return refuse(firstError, id);
  if (!test) ctx.config.balance -= cost;
  const ok: Record<string, unknown> = { id, cnt: sendable.length * parts };
  if (costMode === '2' || costMode === '3') ok.cost = money(cost);
  if (costMode === '3') ok.balance = money(ctx.config.balance);
  return answer(fmt, { ok });
}

function numberError(ctx: Ctx, phone: string): number | undefined {
  const behaviour = ctx.state.behaviourOf(phone);
  if (!isRoutable(phone) || behaviour === 'bad_number') return 7;
  if (behaviour === 'blocked') return 8;
  return undefined;
}

/** `id`: 1…2147483647, or up to 40 characters of [A-Za-z0-9._-] (MESSAGING.md §2). */
function validId(id: string): boolean {
  if (/^\d+$/.test(id)) return Number(id) >= 1 && Number(id) <= 2_147_483_647;
  return /^[A-Za-z0-9._-]{1,40}$/.test(id);
}

/**
 * `status.php` needs both `phone` and `id`. Status values from MESSAGING.md §2: 1 delivered,
 * 22 bad number, 20 undeliverable, −3 not found. The JSON key names are unverified.
 */
function status(
  ctx: Ctx,
  params: URLSearchParams,
  fmt: string,
  refuse: (code: number) => GatewayResponse,
): GatewayResponse {
  const phone = params.get('phone');
  const id = params.get('id');
  if (!phone || !id) return refuse(1);
  const found = ctx.state.messages.findLast(
    (m) => m.gateway === 'smsc' && m.clientId === id && phoneDigits(m.to) === phoneDigits(phone),
  );
  if (!found) return answer(fmt, { ok: { status: -3, err: 0 } });
  const status = found.status === 'sent' ? 1 : found.code === 7 ? 22 : 20;
  const date = found.at;
  const pad = (n: number) => String(n).padStart(2, '0');
  // SMSC is in Moscow (UTC+3, no DST since 2014): its dates are Moscow wall-clock time.
  const msk = new Date(date.getTime() + 3 * 3600_000);
  const lastDate = `${pad(msk.getUTCDate())}.${pad(msk.getUTCMonth() + 1)}.${msk.getUTCFullYear()} ${pad(msk.getUTCHours())}:${pad(msk.getUTCMinutes())}:${pad(msk.getUTCSeconds())}`;
  return answer(fmt, {
    ok: {
      status,
      last_date: lastDate,
      last_timestamp: Math.floor(date.getTime() / 1000),
      err: found.code ?? 0,
    },
  });
}

/**
 * fmt=3 is JSON; 0 (the default) and 1 are SMSC's text forms, 2 its XML. Only fmt=3 is in the fact
 * sheet; the others are there so a client that forgets fmt=3 fails as it would in production.
 */
function answer(fmt: string, outcome: Outcome): GatewayResponse {
  const body =
    'ok' in outcome
      ? outcome.ok
      : {
          error: ERRORS[outcome.error] ?? 'error',
          error_code: outcome.error,
          ...(outcome.id !== undefined && WITH_ID.has(outcome.error) ? { id: outcome.id } : {}),
        };
  if (fmt === '3') return { status: 200, body };
  const b = body as Record<string, unknown>;
  if (fmt === '1')
    return { status: 200, text: true, body: 'ok' in outcome ? `${b.id},${b.cnt}` : `0,-${b.error_code}` };
  if (fmt === '2') {
    const xml = Object.entries(b)
      .map(([k, v]) => `<${k}>${String(v)}</${k}>`)
      .join('');
    return { status: 200, text: true, body: `<?xml version="1.0" encoding="utf-8"?><result>${xml}</result>` };
  }
  return {
    status: 200,
    text: true,
    body: 'ok' in outcome ? `OK - ${b.cnt} SMS, ID - ${b.id}` : `ERROR = ${b.error_code} (${b.error})`,
  };
}

function money(value: number): string {
  return (Math.round(value * 100) / 100).toFixed(2);
}
