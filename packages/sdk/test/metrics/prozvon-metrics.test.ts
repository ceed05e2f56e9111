import { afterEach, describe, expect, it } from 'vitest';
import { createProzvonMetrics, type ProzvonMetrics } from '../../src/metrics/index.js';
import { TransientError } from '../../src/ports/index.js';
import { customer, MINUTE, NIGHT, startEngine } from '../engine/harness.js';

let metrics: ProzvonMetrics | undefined;
let stopEngine: (() => Promise<void>) | undefined;
afterEach(async () => {
  metrics?.stop();
  await stopEngine?.();
  metrics = stopEngine = undefined;
});

async function scrape(handler: ProzvonMetrics['handler']): Promise<{ type: string; text: string }> {
  const response = await handler(new Request('http://shop.test/metrics'));
  expect(response.status).toBe(200);
  return { type: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** The value of one series in Prometheus's text format, or undefined when it is not there. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('createProzvonMetrics', () => {
  it('counts a lead from intake to an answered call: its states, its effects, intake-to-dial', async () => {
    const h = await startEngine();
    stopEngine = () => h.engine.stop();
    metrics = createProzvonMetrics(h.engine, { processMetrics: false });
    const { leadId } = await h.engine.submitLead({ ...customer, ref: 'm-1' });
    await h.lead(leadId);

    const ringing = await scrape(metrics.handler);
    expect(ringing.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(
      sample(
        ringing.text,
        'prozvon_leads_unfinished{crm_state="crm.created",call_state="call.awaitingResult"}',
      ),
    ).toBe(1);
    expect(sample(ringing.text, 'prozvon_effects_total{kind="dial",status="done"}')).toBe(1);
    expect(sample(ringing.text, 'prozvon_effects_total{kind="createCrmLead",status="done"}')).toBe(1);
    expect(sample(ringing.text, 'prozvon_intake_to_dial_seconds_count')).toBe(1);
    expect(sample(ringing.text, 'prozvon_effect_duration_seconds_count{kind="dial"}')).toBe(1);
    expect(ringing.text).not.toContain('process_cpu'); // processMetrics: false

    const [request] = h.voice.started;
    if (request === undefined) throw new Error('no call was started');
    await h.deliverResult(request, 'answered');
    await h.settle();
    const { text } = await scrape(metrics.handler);
    expect(sample(text, 'prozvon_call_outcomes_total{call_state="call.answered"}')).toBe(1);
    expect(text).not.toContain('call_state="call.awaitingResult"');
    expect(sample(text, 'prozvon_effects_pending')).toBe(0);
  });

  it('counts provider failures by kind and code, the retried ones too', async () => {
    const h = await startEngine();
    stopEngine = () => h.engine.stop();
    metrics = createProzvonMetrics(h.engine, { processMetrics: false });
    h.crm.fail('createLead', new TransientError('portal is down'), 1);
    h.answerCalls('answered');
    const { leadId } = await h.engine.submitLead({ ...customer, ref: 'm-2' });
    await h.lead(leadId);
    await h.clock.advance(MINUTE); // past the first back-off
    await h.settle();

    const { text } = await scrape(metrics.handler);
    expect(sample(text, 'prozvon_provider_failures_total{kind="createCrmLead",reason="transient"}')).toBe(1);
    expect(sample(text, 'prozvon_effects_total{kind="createCrmLead",status="retry"}')).toBe(1);
    expect(sample(text, 'prozvon_effects_total{kind="createCrmLead",status="done"}')).toBe(1);
  });

  it('measures how late the timer woke a night lead, and stops counting once stopped', async () => {
    const h = await startEngine({ at: NIGHT });
    stopEngine = () => h.engine.stop();
    metrics = createProzvonMetrics(h.engine, { processMetrics: false });
    h.answerCalls('answered');
    const { leadId, callState } = await h.engine.submitLead({ ...customer, ref: 'm-3' });
    expect(callState).toBe('call.night');
    const { wakeAt } = await h.lead(leadId);
    expect(wakeAt).not.toBeNull();
    await h.clock.advance((wakeAt ?? 0) - h.clock.now() + MINUTE);
    await h.settle();

    const { text } = await scrape(metrics.handler);
    expect(sample(text, 'prozvon_wake_lateness_seconds_count')).toBeGreaterThanOrEqual(1);
    // Woken when due (the simulated timer is exact): in the lowest bucket.
    expect(sample(text, 'prozvon_wake_lateness_seconds_bucket{le="0.005"}')).toBeGreaterThanOrEqual(1);
    // A night lead is not "called at once": intake-to-dial is for the leads called on arrival.
    expect(sample(text, 'prozvon_intake_to_dial_seconds_count')).toBe(0);

    metrics.stop();
    const before = sample(
      (await scrape(metrics.handler)).text,
      'prozvon_effects_total{kind="dial",status="done"}',
    );
    await h.engine.submitLead({ ...customer, phone: '+79161112233', ref: 'm-4' });
    await h.settle();
    const after = sample(
      (await scrape(metrics.handler)).text,
      'prozvon_effects_total{kind="dial",status="done"}',
    );
    expect(after).toBe(before);
  });

  it('reads the store once a scrape, and afresh at the next', async () => {
    const h = await startEngine();
    stopEngine = () => h.engine.stop();
    let reads = 0;
    const stats = h.engine.stats.bind(h.engine);
    h.engine.stats = () => {
      reads++;
      return stats();
    };
    metrics = createProzvonMetrics(h.engine, { processMetrics: false });
    await scrape(metrics.handler);
    expect(reads).toBe(1);
    await scrape(metrics.handler);
    expect(reads).toBe(2);
  });

  it('answers 405 to anything but GET and HEAD, and HEAD without a body', async () => {
    const h = await startEngine();
    stopEngine = () => h.engine.stop();
    metrics = createProzvonMetrics(h.engine, { processMetrics: false });
    const post = await metrics.handler(new Request('http://shop.test/metrics', { method: 'POST' }));
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await metrics.handler(new Request('http://shop.test/metrics', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('adds the process metrics by default, under the prozvon_ prefix', async () => {
    const h = await startEngine();
    stopEngine = () => h.engine.stop();
    metrics = createProzvonMetrics(h.engine);
    const { text } = await scrape(metrics.handler);
    expect(text).toContain('prozvon_process_cpu_user_seconds_total');
  });
});
