import { type CrmLeadRequest, TransientError } from '@prozvon/sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBitrix24Crm } from '../../src/index.js';
import { byMethod, fakePortal, hookAuth } from './fake-portal.js';

const portal = fakePortal();

/** Holds every batch the portal receives until the test lets go (a hung portal). */
let letGo: () => void = () => {};
function hang() {
  const released = new Promise<void>((resolve) => {
    letGo = resolve;
  });
  portal.reply(async (request, attempt) => {
    await released;
    return byMethod({ 'crm.lead.list': [], 'crm.lead.add': 301 })(request, attempt);
  });
}
afterEach(() => letGo());

const request: CrmLeadRequest = {
  key: 'lead:7:crm',
  phone: '+79161234567',
  partner: null,
  submittedAt: Date.UTC(2026, 10, 25, 9, 30),
  lead: { name: 'Анна', phone: '89161234567' },
};

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => expect.unreachable('the call should have been abandoned'),
    (error: unknown) => error as Error,
  );
}

describe('Bitrix24 CrmPort and a call deadline', () => {
  it('a hung portal request is abandoned when the signal aborts: TransientError, deadline passed', async () => {
    hang();
    const crm = createBitrix24Crm({ auth: hookAuth });
    const deadline = new AbortController();
    const creating = crm.createLead(request, { signal: deadline.signal });
    await vi.waitFor(() => expect(portal.sent).toHaveLength(1));
    deadline.abort();
    const error = await rejection(creating);
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toMatch(/deadline passed/);
  });

  it('every method takes the signal', async () => {
    hang();
    const crm = createBitrix24Crm({ auth: hookAuth });
    const signal = AbortSignal.abort();
    const record = {
      key: 'lead:7:call:1',
      attempt: 1,
      phone: '+79161234567',
      outcome: 'nodial',
      startedAt: 0,
      durationSec: 0,
    } as const;
    for (const call of [
      crm.findPartner('p-1', { signal }),
      crm.findLeadByKey('lead:7:crm', { signal }),
      crm.createLead(request, { signal }),
      crm.markNoAnswer('301', record, { signal }),
      crm.recordCall('301', record, { signal }),
    ]) {
      expect(await rejection(call)).toBeInstanceOf(TransientError);
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(portal.sent).toEqual([]);
  });

  it('one caller leaving a shared createLead does not fail another caller of the same lead', async () => {
    hang();
    const crm = createBitrix24Crm({ auth: hookAuth });
    const deadline = new AbortController();
    const impatient = crm.createLead(request, { signal: deadline.signal });
    const patient = crm.createLead(request);
    await vi.waitFor(() => expect(portal.sent).toHaveLength(1));
    deadline.abort();
    expect(await rejection(impatient)).toBeInstanceOf(TransientError);
    letGo();
    expect(await patient).toMatchObject({ id: '301' });
  });
});
