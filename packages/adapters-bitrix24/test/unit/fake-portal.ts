import { decodePhpQuery } from '@prozvon/testkit';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';

export const PORTAL = 'https://shop.bitrix24.test';
export const HOOK_URL = `${PORTAL}/rest/1/k32t88gf3azpmwv3/`;
export const OAUTH_SERVER = 'https://oauth.bitrix.test';

/** One decoded command of a batch the adapter sent. */
export interface SentCommand {
  readonly id: string;
  readonly method: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the adapter sent
  readonly params: any;
}

export interface SentRequest {
  readonly path: string;
  readonly auth: unknown;
  readonly halt: unknown;
  readonly commands: SentCommand[];
}

/** What the fake portal answers to a batch: results and errors by command id, or a whole response. */
export type Reply =
  | {
      result?: Record<string, unknown>;
      errors?: Record<string, { error: string; error_description: string }>;
    }
  | Response;

export type Responder = (request: SentRequest, attempt: number) => Reply | Promise<Reply>;

/**
 * An msw stand-in for a portal's REST API as b24jssdk speaks to it: POST JSON to `…/batch` (no
 * `.json`, with `bx24_*` in the query, which msw ignores), and the OAuth server's `/oauth/token/`.
 * Every batch is decoded so tests assert on the commands themselves.
 */
export function fakePortal() {
  const sent: SentRequest[] = [];
  const tokenRequests: URLSearchParams[] = [];
  let responder: Responder = () => ({});
  let tokenResponder: (form: URLSearchParams) => Response = () =>
    HttpResponse.json({
      access_token: 'access-2',
      refresh_token: 'refresh-2',
      expires: Math.floor(Date.now() / 1000) + 3600,
      expires_in: 3600,
      client_endpoint: `${PORTAL}/rest/`,
      server_endpoint: `${OAUTH_SERVER}/rest/`,
      domain: 'oauth.bitrix.test',
      member_id: 'member-1',
      scope: 'crm,telephony',
      status: 'L',
      user_id: 1,
    });

  const batch = async ({ request }: { request: Request }) => {
    const body = (await request.json()) as { cmd: Record<string, string>; auth?: unknown; halt?: unknown };
    const commands = Object.entries(body.cmd).map(([id, line]): SentCommand => {
      const q = line.indexOf('?');
      return {
        id,
        method: q < 0 ? line : line.slice(0, q),
        params: decodePhpQuery(q < 0 ? '' : line.slice(q + 1)),
      };
    });
    const entry = { path: new URL(request.url).pathname, auth: body.auth, halt: body.halt, commands };
    sent.push(entry);
    const reply = await responder(entry, sent.length);
    if (reply instanceof Response) return reply;
    return HttpResponse.json({
      result: {
        result: reply.result ?? [],
        result_error: reply.errors ?? [],
        result_total: [],
        result_next: [],
        result_time: [],
      },
      time: { start: 1, finish: 1.01, duration: 0.01, processing: 0.01, date_start: '', date_finish: '' },
    });
  };

  const server = setupServer(
    http.post(`${PORTAL}/rest/1/k32t88gf3azpmwv3/batch`, batch),
    // With `clientEndpoint` ending in `/`, b24jssdk posts to `/rest//batch` (BITRIX24.md §8).
    http.post(`${PORTAL}/rest//batch`, batch),
    http.post(`${OAUTH_SERVER}/oauth/token/`, async ({ request }) => {
      const form = new URLSearchParams(await request.text());
      tokenRequests.push(form);
      return tokenResponder(form);
    }),
  );
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => {
    sent.length = 0;
    tokenRequests.length = 0;
    responder = () => ({});
  });
  afterAll(() => server.close());

  return {
    sent,
    tokenRequests,
    /** Answers each batch; by default every command succeeds with no result. */
    reply(next: Responder) {
      responder = next;
    },
    replyToken(next: (form: URLSearchParams) => Response) {
      tokenResponder = next;
    },
    /** The commands of every request, flattened. */
    commands(): SentCommand[] {
      return sent.flatMap((request) => request.commands);
    },
  };
}

/** Answers every command by method name; an array is a list result. */
export function byMethod(results: Record<string, unknown>): Responder {
  return ({ commands }) => ({
    result: Object.fromEntries(
      commands.filter((c) => c.method in results).map((c) => [c.id, results[c.method]]),
    ),
  });
}

/** The adapter's OAuth options for the fake portal; `expires` in the future unless given. */
export function oauthAuth(overrides: { expires?: number } = {}) {
  return {
    type: 'oauth' as const,
    clientId: 'app.1',
    clientSecret: 'secret-1',
    tokens: {
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
      expires: overrides.expires ?? Math.floor(Date.now() / 1000) + 3600,
      memberId: 'member-1',
      domain: 'shop.bitrix24.test',
      clientEndpoint: `${PORTAL}/rest/`,
      serverEndpoint: `${OAUTH_SERVER}/rest/`,
    },
  };
}

export const hookAuth = { type: 'webhook' as const, url: HOOK_URL };
