import type { LeadEngine } from '../engine/index.js';

export interface HealthHandlerOptions {
  /** A tick (or an effect claim loop) running longer than this means it is stuck. Default 60 s. */
  readonly stuckAfterMs?: number;
  /** How long the store has to answer. Default 2 s. */
  readonly storeDeadlineMs?: number;
}

/**
 * `GET /healthz` for a load balancer or an orchestrator: 200 when the store answers, the scheduler
 * runs and neither a tick nor the effects' claim loop is stuck, else 503; the JSON says which.
 * Nothing secret is in it.
 */
export function createHealthHandler(engine: LeadEngine, options: HealthHandlerOptions = {}) {
  const stuckAfterMs = options.stuckAfterMs ?? 60_000;
  return async (_request: Request): Promise<Response> => {
    const health = await engine.health(options.storeDeadlineMs);
    const stuck = (health.scheduler.tickRunningForMs ?? 0) > stuckAfterMs;
    const pumpStuck = (health.effects.pumpRunningForMs ?? 0) > stuckAfterMs;
    const ok = health.store.ok && health.scheduler.running && !stuck && !pumpStuck;
    return Response.json(
      {
        ok,
        ...health,
        scheduler: { ...health.scheduler, stuck },
        effects: { ...health.effects, stuck: pumpStuck },
      },
      { status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } },
    );
  };
}
