import type { EffectRow, NewEffect } from '../ports/lead-store.js';

/**
 * The row an effect becomes when it is queued: `pending`, or `started` and leased when it comes
 * with a claim (NewEffect `claim`), as if claimEffects had taken it at once. Every store builds its
 * rows this way, the SQLite one without reading back what it just wrote.
 */
export function queuedEffectRow(effect: NewEffect, id: number, createdAt: number): EffectRow {
  const { claim, ...fields } = effect;
  return {
    ...fields,
    id,
    status: claim ? 'started' : 'pending',
    attempts: claim ? 1 : 0,
    leaseOwner: claim?.owner ?? null,
    leaseUntil: claim?.leaseUntil ?? null,
    result: null,
    createdAt,
    finishedAt: null,
  };
}

/** The effect as queued when its claim is refused (a tenant at its cap): pending, at once. */
export function withoutClaim(effect: NewEffect): NewEffect {
  const { claim: _refused, ...fields } = effect;
  return fields;
}
