import type { EffectParams, EffectType, LeadEvent } from '../machine/index.js';
import {
  type EffectRow,
  type JsonValue,
  PermanentError,
  type PortError,
  RateLimitedError,
  TransientError,
  toPortError,
  untilAborted,
} from '../ports/index.js';
import type { TenantPorts } from './tenants.js';

/** What became of one effect: the event it sends the machine (if any) and how its row ends. */
export type EffectOutcome =
  | { readonly status: 'done' | 'failed'; readonly result: JsonValue; readonly event: LeadEvent | null }
  | { readonly status: 'retry'; readonly afterMs: number; readonly error: PortError };

/**
 * Performs one outbox row through the tenant's ports. Never throws: every failure is mapped to
 * what the engine does next. The rules (DESIGN.md, "decide, persist, do"):
 * - a rate limit means the request was not performed: any effect is retried after the delay;
 * - a transient error on an idempotent effect (CRM, notices, call history) is retried with
 *   back-off, so a flaky CRM never costs a lead;
 * - a transient error on a paid effect is ambiguous (the call may be ringing): never re-sent;
 *   the machine is told and waits for the call's result or its timeout;
 * - auth and permanent errors are final and go to the machine, which decides (manual, skip).
 */
export async function performEffect(
  row: EffectRow,
  ports: TenantPorts,
  at: () => number,
  signal: AbortSignal = new AbortController().signal,
): Promise<EffectOutcome> {
  const kind = row.kind as EffectType;
  try {
    // The port gets the signal; an adapter that ignores it is let go of all the same, so a hung
    // request never holds a slot past its deadline.
    return await untilAborted(perform(kind, row, ports, at, signal), signal, () => deadlineError(signal));
  } catch (thrown) {
    const error = toPortError(thrown);
    if (error instanceof RateLimitedError) return { status: 'retry', afterMs: error.retryAfterMs, error };
    if (error.code === 'transient' && !row.paid) {
      return { status: 'retry', afterMs: backoffMs(row.attempts), error };
    }
    return {
      status: 'failed',
      result: { error: error.code, message: error.message },
      event: failureEvent(kind, row, error, at()),
    };
  }
}

/**
 * An effect retried past its bounds (attempts or age) is given up: the same failure as a permanent
 * refusal, so the CRM region goes to `crm.manual` with a notice, and the audit trail says why.
 */
export function giveUp(row: EffectRow, last: PortError, at: number, why: string): EffectOutcome {
  const error = new PermanentError(`${why}; last error: ${last.message}`, { cause: last });
  return {
    status: 'failed',
    result: { error: error.code, message: error.message, gaveUp: true },
    event: failureEvent(row.kind as EffectType, row, error, at),
  };
}

function deadlineError(signal: AbortSignal): TransientError {
  const reason = signal.reason instanceof Error ? signal.reason.message : 'the deadline passed';
  return new TransientError(reason, { cause: signal.reason });
}

/** 1 s, 2 s, 4 s… capped at 5 minutes, with ±20 % jitter so retries of many leads spread out. */
export function backoffMs(attempts: number): number {
  const base = Math.min(300_000, 1_000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

async function perform(
  kind: EffectType,
  row: EffectRow,
  ports: TenantPorts,
  at: () => number,
  signal: AbortSignal,
): Promise<Extract<EffectOutcome, { status: 'done' | 'failed' }>> {
  const raw = row.params;
  switch (kind) {
    case 'lookupPartner': {
      const params = raw as unknown as EffectParams['lookupPartner'];
      const partner = await ports.crm.findPartner(params.code, { signal });
      return done(partner as unknown as JsonValue, { type: 'PARTNER_FOUND', at: at(), partner });
    }
    case 'createCrmLead': {
      const params = raw as unknown as EffectParams['createCrmLead'];
      const ref = await ports.crm.createLead(
        {
          key: params.crmKey,
          lead: params.lead,
          phone: params.phone,
          partner: params.partner,
          submittedAt: params.submittedAt,
        },
        { signal },
      );
      return done(ref as unknown as JsonValue, {
        type: 'CRM_CREATED',
        at: at(),
        crmLeadId: ref.id,
        crmUrl: ref.url,
      });
    }
    case 'recordCall':
    case 'markNoAnswer': {
      const params = raw as unknown as EffectParams['recordCall'];
      if (kind === 'recordCall') await ports.crm.recordCall(params.crmLeadId, params.record, { signal });
      else await ports.crm.markNoAnswer(params.crmLeadId, params.record, { signal });
      return done(null, { type: 'CRM_WRITTEN', at: at(), effectKey: params.key });
    }
    case 'dial': {
      const params = raw as unknown as EffectParams['dial'];
      const { sessionId } = await ports.voice.startCall(
        {
          key: params.key,
          leadId: row.leadId,
          attempt: params.attempt,
          phone: params.phone,
          scenarioId: params.scenarioId,
          callerId: params.callerId,
          customerName: params.customerName,
        },
        { signal },
      );
      return done({ sessionId }, { type: 'DIAL_STARTED', at: at(), attempt: params.attempt, sessionId });
    }
    case 'reconcileCall': {
      const params = raw as unknown as EffectParams['reconcileCall'];
      const report = await ports.voice.findCall(params.dialKey, { signal });
      return done(report as unknown as JsonValue, {
        type: 'RECONCILED',
        at: at(),
        attempt: params.attempt,
        report,
      });
    }
    case 'sendSms': {
      const params = raw as unknown as EffectParams['sendSms'];
      const receipt = await ports.sms.send(
        { key: params.key, phone: params.phone, text: params.text },
        { signal },
      );
      return done(receipt as unknown as JsonValue, null);
    }
    case 'notify': {
      const params = raw as unknown as EffectParams['notify'];
      await ports.notifier.notify(params.notice, { signal });
      return done(null, null);
    }
  }
}

function done(result: JsonValue, event: LeadEvent | null) {
  return { status: 'done' as const, result, event };
}

function failureEvent(kind: EffectType, row: EffectRow, error: PortError, at: number): LeadEvent | null {
  const code = error.code === 'auth' ? 'auth' : 'permanent';
  switch (kind) {
    case 'lookupPartner':
    case 'createCrmLead':
    case 'recordCall':
    case 'markNoAnswer':
      return { type: 'CRM_FAILED', at, effectKey: row.key, code, message: error.message };
    case 'dial':
      return {
        type: 'DIAL_FAILED',
        at,
        attempt: (row.params as unknown as EffectParams['dial']).attempt,
        code: error.code,
        message: error.message,
      };
    case 'reconcileCall':
      // Call history could not be read for good: as far as we can know, nothing happened.
      return {
        type: 'RECONCILED',
        at,
        attempt: (row.params as unknown as EffectParams['reconcileCall']).attempt,
        report: null,
        unavailable: true,
      };
    case 'sendSms':
    case 'notify':
      return null;
  }
}
