import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';

export const API_BASE = 'https://api.voximplant.test';

export interface SentApiRequest {
  readonly method: string;
  readonly authorization: string | null;
  readonly contentType: string | null;
  readonly params: URLSearchParams;
}

type Reply = unknown | Response;

/** An msw stand-in for the management API: records each request, answers what the test says. */
export function fakeManagementApi() {
  const sent: SentApiRequest[] = [];
  let reply: (request: SentApiRequest) => Reply | Promise<Reply> = () => ({ result: 1 });
  const server = setupServer(
    http.post(`${API_BASE}/platform_api/:method`, async ({ request, params }) => {
      const entry: SentApiRequest = {
        method: String(params.method),
        authorization: request.headers.get('authorization'),
        contentType: request.headers.get('content-type'),
        params: new URLSearchParams(await request.text()),
      };
      sent.push(entry);
      const answer = await reply(entry);
      return answer instanceof Response ? answer : HttpResponse.json(answer as object);
    }),
  );
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => {
    sent.length = 0;
    reply = () => ({ result: 1 });
  });
  afterAll(() => server.close());
  return {
    sent,
    answer(next: typeof reply) {
      reply = next;
    },
  };
}
