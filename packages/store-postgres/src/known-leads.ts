import type { JsonValue, StoredLead } from '@prozvon/sdk';
import type { Batch } from './write-queue.js';

/**
 * A lead as this store last wrote it: every column a StoredLead has, the snapshot as the JSON text
 * written (parsed afresh for each use, so nothing `decide` does to an object reaches the next).
 */
export interface KnownLead {
  readonly lead: Omit<StoredLead, 'snapshot'>;
  readonly snapshot: string;
  /** The transaction that wrote it: until it commits, only its own later writes may rely on it. */
  readonly written: Batch;
}

/**
 * The leads this store wrote last, most recent kept (at most `limit`), so updateLead can decide on
 * what it wrote instead of reading the row first: its write then holds the row as it was decided
 * on as a condition (applyDecisions: every column, the snapshot through the version that comes
 * with it), and a row that differs in anything (another
 * instance's write or lease, a rolled-back batch, a deleted lead) writes nothing and the write
 * reads the row locked as ever. So an entry may be stale, never wrong: it only saves a round trip.
 */
export class KnownLeads {
  readonly #rows = new Map<string, KnownLead>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /**
   * The lead as written, for a write in `batch`, and forgotten until that write says what it
   * wrote: a write of the lead in another transaction meanwhile reads it locked, as it must (its
   * statement's snapshot would not see this one's row, and its condition would not hold), and a
   * write of another transaction not yet committed is not relied on either.
   */
  take(leadId: string, batch: Batch): KnownLead | undefined {
    const known = this.#rows.get(leadId);
    if (known === undefined) return undefined;
    this.#rows.delete(leadId);
    return known.written === batch || known.written.committed ? known : undefined;
  }

  set(known: KnownLead): void {
    // Re-inserted: Map keeps insertion order, so the first entry is the one written longest ago.
    this.#rows.delete(known.lead.id);
    this.#rows.set(known.lead.id, known);
    if (this.#rows.size > this.#limit) {
      const oldest = this.#rows.keys().next();
      if (!oldest.done) this.#rows.delete(oldest.value);
    }
  }

  /** Whether a row of the lead is kept (as written by this store, or as read: see `set`). */
  has(leadId: string): boolean {
    return this.#rows.has(leadId);
  }

  delete(leadId: string): void {
    this.#rows.delete(leadId);
  }
}

/** The StoredLead `decide` is given: a snapshot of its own. */
export function storedLeadOf(known: KnownLead): StoredLead {
  return { ...known.lead, snapshot: JSON.parse(known.snapshot) as JsonValue };
}

/**
 * The condition values of applyDecisions ($14–$24, an array each): every column of the row decided
 * on but the snapshot, which only a decision writes, with a new version (statements.ts).
 */
export function knownValues(known: KnownLead): unknown[] {
  const lead = known.lead;
  return [
    lead.version,
    lead.crmState,
    lead.callState,
    lead.wakeAt,
    lead.finished,
    lead.updatedAt,
    lead.leaseOwner,
    lead.leaseUntil,
    lead.tenantId,
    lead.ref,
    lead.submittedAt,
  ];
}
