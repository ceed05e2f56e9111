import type { SQLInputValue, SQLOutputValue } from 'node:sqlite';
import type { PendingCall } from '../../ports/pending-calls.js';

// Between PendingCall and a row of pending_calls (migration 7). The table is STRICT and written
// only by this store, so the column types are known; the cast below rests on that.

interface PendingCallRow {
  call_id: string;
  key: string;
  lead_id: string;
  attempt: number;
  phone: string;
  caller_id: string;
  customer_name: string;
  scenario_id: string;
  created_at: number;
  session_id: string | null;
}

export function pendingCallParams(call: PendingCall): Record<string, SQLInputValue> {
  return {
    callId: call.callId,
    key: call.key,
    leadId: call.leadId,
    attempt: call.attempt,
    phone: call.phone,
    callerId: call.callerId,
    customerName: call.customerName,
    scenarioId: call.scenarioId,
    createdAt: call.createdAt,
    sessionId: call.sessionId ?? null,
  };
}

/** A call without a session has no `sessionId` key, as the memory store gives it back. */
export function toPendingCall(row: Record<string, SQLOutputValue>): PendingCall {
  const r = row as unknown as PendingCallRow;
  return {
    callId: r.call_id,
    key: r.key,
    leadId: r.lead_id,
    attempt: r.attempt,
    phone: r.phone,
    callerId: r.caller_id,
    customerName: r.customer_name,
    scenarioId: r.scenario_id,
    createdAt: r.created_at,
    ...(r.session_id === null ? {} : { sessionId: r.session_id }),
  };
}
