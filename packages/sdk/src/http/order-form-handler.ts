import type { SubmitResult } from '../engine/index.js';
import { isIanaZone } from '../hours/index.js';
import type { LeadInput } from '../lead/index.js';
import { clientAddress } from './client-address.js';
import { answerSubmit, invalidLeadResponse } from './intake-answer.js';
import { decodeIntakeBody, INTAKE_MEDIA_TYPES, intakeMediaType } from './intake-body.js';
import { jsonResponse } from './json-response.js';
import { readBoundedBody } from './read-bounded-body.js';
import { referralFromCookies } from './referral-cookies.js';

/**
 * What a customer may say on an order form: who and how to reach them, a comment, their browser's
 * time zone, and `ref` — an id the page makes up so that a double click is one lead. Any other
 * field a browser sends (`partnerCode`, `orderSum`, `ip`, `city`, …) is dropped unread.
 */
export const CUSTOMER_FIELDS = ['name', 'phone', 'comment', 'timezone', 'ref'] as const;

/** What the shop's server adds to an order: the priced order, where it is from, who referred it. */
export type OrderFacts = Pick<
  LeadInput,
  'ip' | 'city' | 'timezone' | 'partnerCode' | 'utm' | 'site' | 'orderSum' | 'currency' | 'items'
>;

export interface OrderFormHandlerOptions {
  /** Usually `prozvon.submitLead`. */
  readonly submit: (body: unknown) => Promise<SubmitResult>;
  /**
   * The shop's server's part of the lead, from the request (its session or cart cookie, its IP):
   * the order (`items`, `orderSum`, `currency`, `site`), `city`, and anything that replaces a
   * default. Defaults, each overridden by a field returned here: `ip` the client's address as the
   * framework bridge saw it (`clientAddress`), `partnerCode` and `utm` the `utm_*` cookies. A
   * `timezone` returned here is the fallback for a browser that sent no valid zone of its own.
   */
  readonly fromServer?: (request: Request) => OrderFacts | Promise<OrderFacts>;
  /**
   * Where a plain HTML form (a page without its script) is sent once its lead is accepted: the
   * 202 becomes a `303 See Other` to this URL (relative to the request's), `?leadId=…` added, so
   * the customer sees the shop's page rather than JSON. A script's JSON post still gets its 202.
   */
  readonly thanksUrl?: string;
  /** Bodies above this are refused with 413, read no further than that. Default 64 KiB. */
  readonly maxBodyBytes?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * The route a shop's order form posts to, as a Web `Request → Response` function: JSON from a
 * script or a plain HTML form's `application/x-www-form-urlencoded` (a form without JavaScript
 * works too), no secret. It takes only `CUSTOMER_FIELDS` from the browser and the rest from the
 * server (`fromServer` and the defaults), so a customer cannot name a partner, price an order or
 * pick an IP. Answers as the server-to-server intake does (202, 400, 409, 413, 415 with
 * `Accept-Post`, 429, 503), never 401.
 */
export function createOrderFormHandler(
  options: OrderFormHandlerOptions,
): (request: Request) => Promise<Response> {
  const maxBytes = options.maxBodyBytes ?? 64 * 1024;
  return async (request) => {
    if (request.method !== 'POST') {
      return jsonResponse(405, { error: 'method_not_allowed' }, { allow: 'POST' });
    }
    const encoding = intakeMediaType(request.headers.get('content-type'));
    if (encoding === null) {
      return jsonResponse(415, { error: 'unsupported_media_type' }, { 'accept-post': INTAKE_MEDIA_TYPES });
    }
    const read = await readBoundedBody(request, maxBytes);
    if (!read.ok) return jsonResponse(413, { error: 'too_large', maxBytes });
    const decoded = decodeIntakeBody(encoding, read.bytes);
    if (!decoded.ok) return invalidLeadResponse(decoded.error);
    const said = decoded.body;
    const answer = await answerSubmit(async () => {
      // Not an object: the schema names that in its 400.
      if (typeof said !== 'object' || said === null || Array.isArray(said)) return options.submit(said);
      const facts = (await options.fromServer?.(request)) ?? {};
      return options.submit(orderLead(said as Record<string, unknown>, facts, request));
    }, options.onError);
    if (encoding !== 'form' || options.thanksUrl === undefined || answer.status !== 202) return answer;
    return thanks(options.thanksUrl, request, answer);
  };
}

/** The 303 that takes a form's customer to the shop's thank-you page, with the lead's id. */
async function thanks(thanksUrl: string, request: Request, accepted: Response): Promise<Response> {
  const { leadId } = (await accepted.json()) as { leadId: string };
  const location = new URL(thanksUrl, request.url);
  location.searchParams.set('leadId', leadId);
  return new Response(null, {
    status: 303,
    headers: { location: location.href, 'cache-control': 'no-store' },
  });
}

/** The customer's fields over the server's, with the browser's zone before the server's guess. */
function orderLead(
  said: Record<string, unknown>,
  facts: OrderFacts,
  request: Request,
): Record<string, unknown> {
  const lead: Record<string, unknown> = {};
  const ip = clientAddress(request);
  if (ip !== undefined) lead.ip = ip;
  Object.assign(lead, referralFromCookies(request.headers.get('cookie')));
  for (const [field, value] of Object.entries(facts)) if (value !== undefined) lead[field] = value;
  for (const field of CUSTOMER_FIELDS) if (said[field] !== undefined) lead[field] = said[field];
  // The browser's own zone (`Intl.DateTimeFormat().resolvedOptions().timeZone`) beats one guessed
  // from the IP, as VPNs and mobile carriers move IPs across zones; one that is not a zone falls
  // back to the server's rather than costing the shop the order.
  const zone = typeof said.timezone === 'string' ? said.timezone.trim() : '';
  if (isIanaZone(zone)) lead.timezone = zone;
  else if (facts.timezone !== undefined) lead.timezone = facts.timezone;
  else delete lead.timezone;
  return lead;
}
