import { isoWithOffset } from './dates.js';

/** The `time` block of every answer (BITRIX24.md §1). */
export interface TimeBlock {
  start: number;
  finish: number;
  duration: number;
  processing: number;
  date_start: string;
  date_finish: string;
  operating_reset_at?: number;
  operating?: number;
}

export interface Operating {
  /** Seconds this method used for this credential in the rolling window. */
  operating: number;
  /** Unix seconds when the oldest one-minute bucket drops out. */
  resetAt: number;
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));

/**
 * Builds `time` from the clock's start and the measured processing time: the simulated clock says
 * when, the real one says how long (so a frozen test clock still shows a non-zero duration).
 */
export function timeBlock(
  startMs: number,
  processingMs: number,
  offsetMinutes: number,
  operating?: Operating,
): TimeBlock {
  const start = startMs / 1000;
  const finish = start + processingMs / 1000;
  const block: TimeBlock = {
    start: round(start, 4),
    finish: round(finish, 4),
    duration: round(finish - start, 4),
    processing: round(processingMs / 1000, 4),
    date_start: isoWithOffset(startMs, offsetMinutes),
    date_finish: isoWithOffset(startMs + processingMs, offsetMinutes),
  };
  if (operating) {
    block.operating_reset_at = operating.resetAt;
    block.operating = round(operating.operating, 4);
  }
  return block;
}

/** What a method returns; lists add `total` and, when more pages exist, `next`. */
export interface MethodResult {
  result: unknown;
  total?: number;
  next?: number;
}

/** The success envelope in the portal's key order: result, next, total, time. */
export function successBody(outcome: MethodResult, time: TimeBlock): Record<string, unknown> {
  const body: Record<string, unknown> = { result: outcome.result };
  if (outcome.next !== undefined) body.next = outcome.next;
  if (outcome.total !== undefined) body.total = outcome.total;
  body.time = time;
  return body;
}

/** PHP's json_encode prints an empty array as `[]`, never `{}`: maps in batch answers do too. */
export function phpMap(map: Record<string, unknown>): Record<string, unknown> | [] {
  return Object.keys(map).length === 0 ? [] : map;
}
