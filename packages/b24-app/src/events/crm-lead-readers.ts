import type { PortalRestSource } from '../b24/portal-rest.js';
import { CrmLeadReader } from './crm-lead-reader.js';

/**
 * One CrmLeadReader per portal while it has reads to gather or answer, let go once they are all
 * answered: a reader holds nothing between bursts, and one kept per portal that ever sent an
 * ONCRMLEADADD grew with every portal for the life of the process.
 */
export class CrmLeadReaders {
  readonly #rest: PortalRestSource;
  readonly #gatherMs: number | undefined;
  readonly #readers = new Map<string, CrmLeadReader>();

  constructor(rest: PortalRestSource, gatherMs?: number) {
    this.#rest = rest;
    this.#gatherMs = gatherMs;
  }

  /** The portal's reader: ids read within its gathering window share one request. */
  of(memberId: string): CrmLeadReader {
    let reader = this.#readers.get(memberId);
    if (reader === undefined) {
      const made = new CrmLeadReader(
        () => this.#rest.forPortal(memberId),
        this.#gatherMs,
        // Only if it is still this portal's reader and nothing was asked of it since.
        () => {
          if (this.#readers.get(memberId) === made && made.settled) this.#readers.delete(memberId);
        },
      );
      this.#readers.set(memberId, made);
      reader = made;
    }
    return reader;
  }

  /** Portals with a reader now (those with reads in progress). */
  get size(): number {
    return this.#readers.size;
  }
}
