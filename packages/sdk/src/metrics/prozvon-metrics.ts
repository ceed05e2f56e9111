import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { LeadEngine } from '../engine/index.js';
import { isCallDone } from '../machine/index.js';

export interface ProzvonMetricsOptions {
  /** Where the metrics are registered; a new registry by default. Pass yours to add your own. */
  readonly registry?: Registry;
  /** Also the process's own metrics (CPU, memory, event-loop lag, GC). Default true. */
  readonly processMetrics?: boolean;
}

export interface ProzvonMetrics {
  readonly registry: Registry;
  /**
   * `GET` → the metrics in Prometheus's text format. A Web handler: mount it with the SDK's
   * bridges (`@prozvon/sdk/express`…) behind whatever keeps it from the public.
   */
  readonly handler: (request: Request) => Promise<Response>;
  /** Stops listening to the engine. */
  stop(): void;
}

/** Seconds, from a few milliseconds (an intake decided at once) to minutes (a lead that waited). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * The engine's metrics in Prometheus's format, with prom-client. No label names a tenant: a host
 * of thousands of portals would make thousands of series per metric; per-portal numbers are the
 * dashboard's. Unfinished leads by state and the refusals are read from the store at each scrape
 * (one grouped query), so every instance on one database reports the same totals; outcomes,
 * effects, wakes and latencies are this instance's own, counted as they happen.
 */
export function createProzvonMetrics(
  engine: LeadEngine,
  options: ProzvonMetricsOptions = {},
): ProzvonMetrics {
  const registry = options.registry ?? new Registry();
  // The store-read gauges of one scrape share one read: the one in flight, if any.
  let reading: ReturnType<LeadEngine['stats']> | null = null;
  const stats = () => {
    if (reading === null) {
      reading = engine.stats();
      const done = () => {
        reading = null;
      };
      reading.then(done, done);
    }
    return reading;
  };
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'prozvon_' });

  new Gauge({
    name: 'prozvon_leads_unfinished',
    help: 'Unfinished leads in the store, by the state of each region (crm, call)',
    labelNames: ['crm_state', 'call_state'],
    registers: [registry],
    async collect() {
      const { byState } = await stats();
      this.reset();
      for (const { crmState, callState, count } of byState) {
        this.set({ crm_state: crmState, call_state: callState }, count);
      }
    },
  });
  new Gauge({
    name: 'prozvon_effects_pending',
    help: 'Effects queued in the outbox and not yet done',
    registers: [registry],
    async collect() {
      this.set((await stats()).pendingEffects);
    },
  });
  new Gauge({
    name: 'prozvon_submits_refused',
    help: 'Leads refused at submission since the store was created (abuse guard, limits), by reason',
    labelNames: ['reason'],
    registers: [registry],
    async collect() {
      const totals = new Map<string, number>();
      for (const { reason, count } of (await stats()).refusals) {
        totals.set(reason, (totals.get(reason) ?? 0) + count);
      }
      this.reset();
      for (const [reason, count] of totals) this.set({ reason }, count);
    },
  });

  const effects = new Counter({
    name: 'prozvon_effects_total',
    help: 'Effects performed by this instance, by kind and outcome (done, failed, retry, rate_limited)',
    labelNames: ['kind', 'status'],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'prozvon_provider_failures_total',
    help: 'Provider calls that failed (retried or final), by effect kind and error code',
    labelNames: ['kind', 'reason'],
    registers: [registry],
  });
  const effectSeconds = new Histogram({
    name: 'prozvon_effect_duration_seconds',
    help: "A provider call's time, from the request to its answer, by effect kind",
    labelNames: ['kind'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const wakeLateness = new Histogram({
    name: 'prozvon_wake_lateness_seconds',
    help: "How long after its wake-up time a waiting lead was woken by this instance's timer",
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const intakeToDial = new Histogram({
    name: 'prozvon_intake_to_dial_seconds',
    help: 'Submission → the decision to call, for leads called at once when they arrive',
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });

  const stopObserving = engine.observe({
    effect({ kind, status, reason, durationMs }) {
      effects.inc({ kind, status });
      if (reason !== undefined) failures.inc({ kind, reason });
      if (status !== 'rate_limited') effectSeconds.observe({ kind }, durationMs / 1000);
    },
    wake({ latenessMs }) {
      wakeLateness.observe(latenessMs / 1000);
    },
  });
  const outcomes = new Counter({
    name: 'prozvon_call_outcomes_total',
    help: "Leads whose calling ended, by the call region's final state, as this instance decided it",
    labelNames: ['call_state'],
    registers: [registry],
  });
  const stopListening = engine.onStateChange(({ from, to, at, submittedAt }) => {
    if (from === null && to.callState === 'call.dialing') intakeToDial.observe((at - submittedAt) / 1000);
    if (isCallDone(to.callState) && from?.callState !== to.callState) {
      outcomes.inc({ call_state: to.callState });
    }
  });

  return {
    registry,
    handler: async (request) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return new Response('Method Not Allowed\n', { status: 405, headers: { allow: 'GET, HEAD' } });
      }
      const body = await registry.metrics();
      return new Response(request.method === 'HEAD' ? null : body, {
        headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' },
      });
    },
    stop() {
      stopObserving();
      stopListening();
    },
  };
}
