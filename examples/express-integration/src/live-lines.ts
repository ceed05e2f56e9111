import type { StateChange } from '@prozvon/sdk';

/**
 * `lead …7f3a1b2c call.dialing → call.answered (1.8 s after submit)`: one line per region that
 * moved. `realMs`, when known, is the wall-clock time since submit (the demo's clock runs faster
 * than real time, so the shop's clock is then shown as well).
 */
export function liveLines(change: StateChange, realMs?: number, shopClock?: string): string[] {
  // The end of the id: lead ids are UUIDv7, whose first characters are the time, shared by
  // every lead of the same minute.
  const id = `…${change.leadId.slice(-8)}`;
  const elapsed = realMs === undefined ? change.at - change.submittedAt : realMs;
  const after = `${formatDuration(elapsed)} after submit${shopClock ? `, shop clock ${shopClock}` : ''}`;
  if (change.from === null) return [`lead ${id} submitted → ${change.to.crmState} ${change.to.callState}`];
  const lines: string[] = [];
  if (change.from.crmState !== change.to.crmState)
    lines.push(`lead ${id} ${change.from.crmState} → ${change.to.crmState} (${after})`);
  if (change.from.callState !== change.to.callState)
    lines.push(`lead ${id} ${change.from.callState} → ${change.to.callState} (${after})`);
  return lines;
}

export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${(Math.max(0, ms) / 1000).toFixed(2)} s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
