import { describe, expect, it } from 'vitest';
import { type CallResultEvent, createCallResultHandler, createCallResultVerifier } from '../../src/index.js';
import { TEST_SECRET } from '../helpers/shop-server.js';
import { signedResult } from '../helpers/signed-result.js';

function setup(deliverFails = 0) {
  const delivered: [string, CallResultEvent][] = [];
  let failures = deliverFails;
  const handler = createCallResultHandler({
    verifier: createCallResultVerifier({ secret: TEST_SECRET }),
    deliver: async (leadId, event) => {
      if (failures-- > 0) throw new Error('store down');
      delivered.push([leadId, event]);
    },
  });
  const post = (raw: string, headers: Headers) =>
    handler(new Request('https://shop.example/vox/result', { method: 'POST', body: raw, headers }));
  return { delivered, post, handler };
}

describe('the call result handler', () => {
  it('delivers a good result once and acknowledges its repeat as a duplicate', async () => {
    const { delivered, post } = setup();
    const { raw, headers } = signedResult();
    const first = await post(raw, headers);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ status: 'accepted' });
    const again = await post(raw, headers);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: 'duplicate' });
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.[0]).toBe('L7');
  });

  it("answers 500 when delivery fails, and delivers the scenario's retry", async () => {
    const { delivered, post } = setup(1);
    const { raw, headers } = signedResult();
    expect((await post(raw, headers)).status).toBe(500);
    expect((await post(raw, headers)).status).toBe(200);
    expect(delivered).toHaveLength(1);
  });

  it('answers 401 to a bad signature or a stale timestamp, 400 to a malformed body', async () => {
    const { delivered, post } = setup();
    const good = signedResult();
    expect((await post(good.raw.replace('"answered"', '"machine"'), good.headers)).status).toBe(401);
    const stale = signedResult({ at: Date.now() - 600_000 });
    expect((await post(stale.raw, stale.headers)).status).toBe(401);
    expect((await post('{}', good.headers)).status).toBe(400);
    expect(delivered).toEqual([]);
  });

  it('answers 405 to anything but POST', async () => {
    const { handler } = setup();
    expect((await handler(new Request('https://shop.example/vox/result'))).status).toBe(405);
  });
});
