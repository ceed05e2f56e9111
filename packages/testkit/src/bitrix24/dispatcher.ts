import { timeBlock } from './envelope.js';
import { RestError, systemErrors } from './errors.js';
import { type OperatingLimit, OperatingMeter } from './limiter.js';
import type { CallContext, MethodOutcome, MethodTable, Params } from './methods/types.js';

/**
 * Runs one method for an authenticated caller: existence, auth type, scope, the operating-time
 * limit, then the handler. Shared by the router and `batch`, so a command inside a batch meets
 * exactly the checks a direct call does.
 */
export class Dispatcher {
  readonly #methods: MethodTable;
  readonly #meter = new OperatingMeter();
  operatingLimit: OperatingLimit | false;

  constructor(methods: MethodTable, operatingLimit: OperatingLimit | false) {
    this.#methods = methods;
    this.operatingLimit = operatingLimit;
  }

  async call(method: string, params: Params, ctx: CallContext): Promise<MethodOutcome> {
    try {
      const def = this.#methods[method];
      if (def === undefined) throw systemErrors.methodNotFound();
      if (def.appOnly && ctx.auth.kind !== 'app') throw systemErrors.wrongAuthType();
      if (def.scope !== undefined && ctx.auth.scopes !== undefined && !ctx.auth.scopes.has(def.scope)) {
        throw systemErrors.insufficientScope();
      }
      const limit = this.operatingLimit;
      // `batch` itself is not counted; its commands are, each against its own method (§7).
      const metered = limit !== false && method !== 'batch';
      // The meter's key is built only when metered: a string per request otherwise wasted.
      const key = metered ? `${ctx.portal.key}|${ctx.auth.clientKey}|${method}` : '';
      if (metered && this.#meter.isBlocked(key, ctx.now, limit)) throw systemErrors.operationTimeLimit();
      const started = performance.now();
      const answer = def.handle(params, ctx);
      const value = answer instanceof Promise ? await answer : answer;
      const spent = performance.now() - started;
      const operating = metered
        ? this.#meter.record(key, ctx.now, limit.costMs?.(method) ?? spent, limit)
        : undefined;
      return { ok: true, value, time: timeBlock(ctx.now, spent, ctx.portal.offsetMinutes, operating) };
    } catch (error) {
      if (error instanceof RestError) return { ok: false, status: error.status, body: error.toBody() };
      const description = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        status: 500,
        body: { error: 'INTERNAL_SERVER_ERROR', error_description: description },
      };
    }
  }
}
