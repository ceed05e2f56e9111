import { ApiVersion, B24Hook, B24OAuth, ParamsFactory, type RestrictionParams } from '@bitrix24/b24jssdk';
import { PermanentError, untilAborted } from '@prozvon/sdk';
import { deadlinePassed } from './deadline.js';
import { toCrmError } from './errors.js';
import type { ResolvedOptions } from './options.js';
import type { BatchAnswer, SendBatch } from './rest-batcher.js';

/** The adapter's view of a portal: how to send a batch and where its lead cards live. */
export interface PortalClient {
  readonly send: SendBatch;
  readonly mode: 'webhook' | 'oauth';
  /** `https://<portal>`, for links to lead cards. */
  readonly origin: string;
}

/**
 * Failures after which a request may or may not have run on the portal: the connection broke
 * mid-way (axios keeps the socket's code, or none: JSSDK_AXIOS_ERROR), or a proxy answered 5xx.
 * A refused connection or an unknown host are not here: nothing was sent, re-sending is safe.
 */
const UNKNOWN_FATE = [
  'ERR_BAD_RESPONSE',
  'JSSDK_AXIOS_ERROR',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
];

/**
 * The part of the portal's bucket the limiter fills at once. The SDK counts a request when it
 * sends it, the portal when it arrives: a request slower than the one after it (a new TLS
 * connection, a slow proxy) arrives closer to it than it was sent, and with the limiter's bucket
 * as large as the portal's, such a request meets a full bucket. A tenth kept free absorbs 2.5 s
 * of that skew on a standard plan; measured on the simulator, 44 requests at once and 12 more
 * behind them on one client met a QUERY_LIMIT_EXCEEDED with the full 50 and none with 45.
 */
const BURST_SHARE = 0.9;

/**
 * The SDK's limiter for the plan, with a tenth of the burst kept free (above) and one change: no blind re-send of a request whose fate is
 * unknown (a timeout, a dropped connection, a 502). Such a request may have been performed, and a
 * re-sent `crm.lead.add` would make a second lead; the engine retries instead, through the
 * ORIGIN_ID look-up that makes creation idempotent. Re-sends the SDK knows are safe stay on: a
 * `QUERY_LIMIT_EXCEEDED` or `OPERATION_TIME_LIMIT` means the portal did not run the request.
 */
export function restrictionParams(plan: ResolvedOptions['plan']): Partial<RestrictionParams> {
  const base = ParamsFactory.fromTariffPlan(plan);
  // The plan's own figures (BITRIX24.md §7), should the SDK's defaults ever leave them out.
  const plain = plan === 'enterprise' ? { burstLimit: 250, drainRate: 5 } : { burstLimit: 50, drainRate: 2 };
  const limit = { ...plain, adaptiveEnabled: true, ...base.rateLimit };
  const rateLimit = { ...limit, burstLimit: Math.floor(limit.burstLimit * BURST_SHARE) };
  return { ...base, rateLimit, retryOnNetworkError: false, hardErrorCodes: UNKNOWN_FATE };
}

/** Whether a client's limiter is set as `restrictionParams` sets it: no blind re-send. */
function resendsNothingUnknown(b24: B24OAuth): boolean {
  const params = b24.getHttpClient(ApiVersion.v2).getRestrictionManagerParams();
  const hard = params.hardErrorCodes ?? [];
  return params.retryOnNetworkError === false && UNKNOWN_FATE.every((code) => hard.includes(code));
}

export function createPortalClient(options: ResolvedOptions): PortalClient {
  const restriction = { restrictionParams: restrictionParams(options.plan) };
  const { auth } = options;
  if (auth.type === 'client') {
    const provide = auth.client;
    const shared = async () => {
      const b24 = await provide();
      if (!resendsNothingUnknown(b24)) {
        throw new PermanentError(
          'Bitrix24: the shared client may re-send a request whose fate is unknown; build it with restrictionParams()',
        );
      }
      return b24;
    };
    return { send: sender(shared), mode: 'oauth', origin: new URL(auth.origin).origin };
  }
  if (auth.type === 'webhook') {
    const b24 = B24Hook.fromWebhookUrl(auth.url.replace(/\/+$/, ''), restriction);
    // Server-side use is the point here; the warning is for browser pages holding a webhook.
    b24.offClientSideWarning();
    return { send: sender(() => b24), mode: 'webhook', origin: new URL(auth.url).origin };
  }
  const { tokens } = auth;
  const b24 = new B24OAuth(
    {
      applicationToken: tokens.applicationToken,
      userId: tokens.userId,
      memberId: tokens.memberId,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expires: tokens.expires,
      expiresIn: tokens.expiresIn,
      scope: tokens.scope,
      domain: tokens.domain,
      clientEndpoint: tokens.clientEndpoint,
      serverEndpoint: tokens.serverEndpoint,
      status: tokens.status,
    },
    { clientId: auth.clientId, clientSecret: auth.clientSecret },
    restriction,
  );
  const refresh = auth.refresh;
  if (refresh !== undefined) {
    // The SDK copies every field of this object, endpoints included (BITRIX24.md §8): fill them all.
    b24.setCustomRefreshAuth(async () => {
      const next = await refresh();
      return {
        access_token: next.accessToken,
        refresh_token: next.refreshToken,
        expires: String(next.expires),
        expires_in: String(tokens.expiresIn),
        client_endpoint: next.clientEndpoint,
        server_endpoint: next.serverEndpoint,
        member_id: next.memberId,
        scope: tokens.scope,
        status: tokens.status,
        domain: next.domain,
      };
    });
  }
  const persist = auth.onTokensRefreshed;
  if (persist !== undefined) {
    // The SDK refreshes by itself (before a call once `expires` passed, and after a 401
    // expired_token) and coalesces concurrent refreshes of this client; we only persist the pair.
    b24.setCallbackRefreshAuth(async ({ b24OAuthParams: p }) => {
      await persist({
        accessToken: p.accessToken,
        refreshToken: p.refreshToken,
        expires: p.expires,
        memberId: p.memberId,
        domain: p.domain,
        clientEndpoint: p.clientEndpoint,
        serverEndpoint: p.serverEndpoint,
      });
    });
  }
  return { send: sender(() => b24), mode: 'oauth', origin: new URL(tokens.clientEndpoint).origin };
}

type Client = B24Hook | B24OAuth;

function sender(client: () => Client | Promise<Client>): SendBatch {
  return async (cmd, signal) => {
    const answer = await sendBatch(client, cmd, signal);
    if (!answer.isSuccess) {
      const first = answer.getErrors().next().value;
      throw toCrmError(first ?? new Error(answer.getErrorMessages().join('; ')));
    }
    return answer.getData()?.result ?? {};
  };
}

async function sendBatch(
  client: () => Client | Promise<Client>,
  cmd: Record<string, string>,
  signal: AbortSignal,
) {
  try {
    const b24 = await client();
    // `batch` through call.make: the SDK's limiter, refresh and error parsing apply, and we read
    // the raw per-command results ourselves (see RestBatcher for why).
    //
    // b24jssdk 2.2 takes no AbortSignal: `call.make` accepts only method, params and requestId,
    // and its axios post passes no per-request config. So the call is raced against the signal:
    // at the deadline the caller stops waiting and the batcher's slot is free again, while the
    // abandoned request runs on until the SDK's own axios timeout (30 s) ends it. (Its axios
    // instance could be given the signal through an interceptor keyed by the request id in the
    // URL, but that id's query name is the SDK's internal detail.)
    const call = b24.actions.v2.call.make<BatchAnswer>({ method: 'batch', params: { halt: 0, cmd } });
    return await untilAborted(call, signal, () => deadlinePassed('batch', signal));
  } catch (error) {
    throw toCrmError(error);
  }
}
