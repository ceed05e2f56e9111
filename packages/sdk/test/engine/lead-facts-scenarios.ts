import type { StartCallRequest } from '../../src/ports/index.js';
import { DAYTIME, MINUTE, phoneOf, type startEngine } from './harness.js';

type Harness = Awaited<ReturnType<typeof startEngine>>;

/**
 * Leads driven through the engine to each way calling ends, for the dashboard columns it fills
 * (lead-facts.test.ts) and for the migration that fills them for older rows (dashboard-migration).
 * Returns each lead's id by name. Starts at DAYTIME; leaves the clock hours later.
 */
export async function driveFactScenarios(h: Harness) {
  h.crm.partners.set('PARTNER42', { id: '7', name: 'Блогер Иван', entity: 'company' });
  const started: StartCallRequest[] = [];
  h.voice.onStart = (request) => started.push(request);
  const shop = { partnerCode: 'PARTNER42', site: 'shop.example', orderSum: 990, currency: 'RUB' };

  // Answered 30 s after its dial left, after a 21-second call: picked up 9 s after the ring.
  const answered = (await h.engine.submitLead({ name: 'A', phone: phoneOf(1), ...shop })).leadId;
  await h.settle();
  await h.clock.advance(30_000);
  await deliver(h, started, answered, 'answered', 21);

  // An answering machine, ringing a minute later.
  const machine = (await h.engine.submitLead({ name: 'M', phone: phoneOf(2), site: 'other.example' })).leadId;
  await h.settle();
  await h.clock.advance(60_000);
  await deliver(h, started, machine, 'machine', 12);

  // No answer three times (30 minutes apart), then the sellers': `no_answer`.
  const noAnswer = (await h.engine.submitLead({ name: 'N', phone: phoneOf(3), orderSum: 10 })).leadId;
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    await h.settle();
    await deliver(h, started, noAnswer, 'nodial', 0);
    await h.clock.advance(30 * MINUTE);
  }

  // A phone that cannot be called: `invalid` from the start, never rung.
  const invalid = (await h.engine.submitLead({ name: 'I', phone: '12345', partnerCode: 'NOBODY' })).leadId;

  // Dialled, then stopped by a seller before any result: `manual`, rung once.
  const stopped = (await h.engine.submitLead({ name: 'S', phone: phoneOf(4), currency: 'USD', orderSum: 5 }))
    .leadId;
  await h.settle();
  await h.engine.cancelCalls('default', stopped, 'b24user:1');

  // Still waiting for its result.
  const inProgress = (await h.engine.submitLead({ name: 'W', phone: phoneOf(5), ...shop })).leadId;
  await h.settle();
  return { answered, machine, noAnswer, invalid, stopped, inProgress, started: DAYTIME };
}

async function deliver(
  h: Harness,
  started: readonly StartCallRequest[],
  leadId: string,
  outcome: 'answered' | 'machine' | 'nodial',
  durationSec: number,
) {
  const call = started.filter((request) => request.leadId === leadId).at(-1);
  if (call === undefined) throw new Error(`no call of ${leadId}`);
  await h.engine.deliver('default', leadId, {
    type: 'CALL_RESULT',
    at: h.clock.now(),
    attempt: call.attempt,
    report: { key: call.key, outcome, durationSec },
  });
  await h.settle();
}
