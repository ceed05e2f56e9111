import { TransientError } from '@prozvon/sdk';
import { type SmsSim, startSmsSim } from '@prozvon/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSmsPort } from '../../src/failover.js';
import type { SmsProvider } from '../../src/provider.js';
import { GATEWAYS, simClients } from './sim-gateways.js';

// A hung gateway on loopback: the simulator holds each request for a minute, then drops it (so
// nothing is sent behind the test's back). The caller's deadline must end the wait.
let sim: SmsSim;
beforeAll(async () => {
  sim = await startSmsSim();
});
afterEach(() => sim.faults.reset());
afterAll(() => sim.close());

const message = { key: 'lead:5:sms:night', phone: '+79161234567', text: 'Заказ принят' };

function hang() {
  sim.faults.latency(60_000);
  sim.faults.outage(true, 'reset');
}

/** Every request a client hands to fetch (the clients use the global one). */
const fetched = vi.spyOn(globalThis, 'fetch');

/** Sends through `port`, aborts once its request has left, and returns the error. */
async function abandoned(port: { send: SmsProvider['send'] }): Promise<Error> {
  const deadline = new AbortController();
  const seen = fetched.mock.calls.length;
  const sending = port.send(message, { signal: deadline.signal }).then(
    () => expect.unreachable('the send should have been abandoned'),
    (error: unknown) => error as Error,
  );
  await vi.waitFor(() => expect(fetched.mock.calls.length).toBe(seen + 1));
  deadline.abort();
  return sending;
}

describe('SMS clients and a call deadline', () => {
  it.each(GATEWAYS)(
    '%s: a hung send is abandoned when the signal aborts, as an ambiguous TransientError',
    async (name) => {
      hang();
      const error = await abandoned(simClients(sim.url)[name]);
      expect(error).toBeInstanceOf(TransientError);
      expect(error.message).toMatch(/deadline passed.*may have been sent/);
    },
  );

  it('the failover chain stops at the deadline: no second provider is asked', async () => {
    hang();
    const { smsru, smsc } = simClients(sim.url);
    const port = createSmsPort({ providers: [smsru, smsc] });
    const before = fetched.mock.calls.length;
    const error = await abandoned(port);
    expect(error).toBeInstanceOf(TransientError);
    expect(fetched.mock.calls.map(([url]) => String(url)).slice(before)).toEqual([`${sim.url}/sms/send`]);
  });
});
