import { type StartCallRequest, TransientError } from '@prozvon/sdk';
import { startVoximplantSim, type VoximplantSim } from '@prozvon/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVoximplantVoice } from '../../src/index.js';
import { MemoryPendingCallStore } from '../../src/pending-calls.js';
import { scenarioSource } from '../helpers/scenario-source.js';
import { TEST_SECRET } from '../helpers/shop-server.js';

// A hung management API on loopback: the simulator holds each request for a minute (and then
// drops it, so nothing starts behind the test's back). The caller's deadline must end the wait.
let sim: VoximplantSim;
beforeAll(async () => {
  sim = await startVoximplantSim({ scenarioSource, scenarioName: 'prozvon-callback.js' });
});
afterEach(() => sim.faults.reset());
afterAll(() => sim.close());

/** How many requests the adapter has handed to fetch. */
let fetched = 0;

function voice(timeoutMs?: number) {
  return createVoximplantVoice({
    fetch: (url, init) => {
      fetched++;
      return fetch(url, init);
    },
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    accountId: sim.accountId,
    keyId: sim.serviceKey.keyId,
    privateKey: sim.serviceKey.privateKey,
    ruleId: sim.ruleId,
    apiBase: sim.url,
    callbackUrl: 'http://127.0.0.1:9/vox/plan',
    message: 'https://shop.example/order-accepted.mp3',
    secret: TEST_SECRET,
    store: new MemoryPendingCallStore(),
  });
}

const request: StartCallRequest = {
  key: 'lead:dl1:dial:1',
  leadId: 'dl1',
  attempt: 1,
  phone: '+79160000001',
  scenarioId: 'prozvon-callback',
  callerId: '+74950000000',
  customerName: 'Анна',
};

function hang() {
  sim.faults.latency(60_000);
  sim.faults.outage(true, 'reset');
}

async function abandoned(call: (signal: AbortSignal) => Promise<unknown>): Promise<Error> {
  const deadline = new AbortController();
  const sentBefore = fetched;
  const pending = call(deadline.signal).then(
    () => expect.unreachable('the call should have been abandoned'),
    (error: unknown) => error as Error,
  );
  // Abort only once the request has left, so what is tested is a request in flight.
  await vi.waitFor(() => expect(fetched).toBe(sentBefore + 1));
  deadline.abort();
  return pending;
}

describe('VoicePort on Voximplant and a call deadline', () => {
  it('a hung StartScenarios is abandoned when the signal aborts: TransientError, deadline passed', async () => {
    hang();
    const error = await abandoned((signal) => voice().startCall(request, { signal }));
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toMatch(/StartScenarios: the deadline passed/);
  });

  it('a hung GetCallHistory is abandoned the same way', async () => {
    hang();
    const error = await abandoned((signal) => voice().findCall(request.key, { signal }));
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toMatch(/GetCallHistory: the deadline passed/);
  });

  it('without a signal the adapter’s own timeout still applies', async () => {
    hang();
    const impatient = voice(50);
    const error = await impatient.startCall(request).then(
      () => expect.unreachable('the call should have timed out'),
      (thrown: unknown) => thrown as Error,
    );
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toContain('timed out');
  });
});
