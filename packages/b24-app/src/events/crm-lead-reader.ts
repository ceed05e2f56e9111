import { z } from 'zod';
import type { PortalRest } from '../b24/portal-rest.js';

/** The fields of a CRM lead the app reads to call it back; Bitrix24 may add any others. */
const crmLeadSchema = z
  .object({
    ID: z.coerce.string(),
    TITLE: z.string().nullish(),
    NAME: z.string().nullish(),
    LAST_NAME: z.string().nullish(),
    SOURCE_ID: z.string().nullish(),
    ORIGINATOR_ID: z.string().nullish(),
    OPPORTUNITY: z.union([z.string(), z.number()]).nullish(),
    CURRENCY_ID: z.string().nullish(),
    COMMENTS: z.string().nullish(),
    PHONE: z.array(z.object({ VALUE: z.string().nullish() }).loose()).nullish(),
  })
  .loose();
export type CrmLead = z.infer<typeof crmLeadSchema>;

const SELECT = [
  'ID',
  'TITLE',
  'NAME',
  'LAST_NAME',
  'SOURCE_ID',
  'ORIGINATOR_ID',
  'OPPORTUNITY',
  'CURRENCY_ID',
  'COMMENTS',
  'PHONE',
];
interface Waiter {
  readonly resolve: (lead: CrmLead | null) => void;
  readonly reject: (error: unknown) => void;
}

/** `crm.lead.list` answers 50 rows a page. */
const PAGE = 50;

/**
 * Reads CRM leads of one portal, many per request: ids asked for within `gatherMs` of each other
 * share one `crm.lead.list` (`@ID` filter), so a burst of ONCRMLEADADD events — most of them the
 * echo of leads Prozvon created itself — costs the portal's 2-requests-a-second budget one request
 * per 50 leads instead of one per lead (BITRIX24.md §7).
 */
export class CrmLeadReader {
  readonly #rest: () => Promise<PortalRest>;
  readonly #gatherMs: number;
  #waiting = new Map<string, Waiter[]>();
  #timer: NodeJS.Timeout | undefined;
  #flushing = 0;
  readonly #onSettled: (() => void) | undefined;

  /** `onSettled`: called when the last read asked has been answered and none waits. */
  constructor(rest: () => Promise<PortalRest>, gatherMs = 100, onSettled?: () => void) {
    this.#rest = rest;
    this.#gatherMs = gatherMs;
    this.#onSettled = onSettled;
  }

  /** Nothing asked and unanswered: the reader holds no state and may be let go. */
  get settled(): boolean {
    return this.#timer === undefined && this.#flushing === 0 && this.#waiting.size === 0;
  }

  /** The lead, or null when the portal has no such lead (deleted since the event). */
  read(id: string): Promise<CrmLead | null> {
    return new Promise((resolve, reject) => {
      const list = this.#waiting.get(id) ?? [];
      list.push({ resolve, reject });
      this.#waiting.set(id, list);
      this.#timer ??= setTimeout(() => void this.#flush(), this.#gatherMs);
    });
  }

  async #flush(): Promise<void> {
    this.#timer = undefined;
    this.#flushing++;
    try {
      await this.#answer(this.#waiting);
    } finally {
      this.#flushing--;
    }
    if (this.settled) this.#onSettled?.();
  }

  async #answer(batch: Map<string, Waiter[]>): Promise<void> {
    this.#waiting = new Map();
    const ids = [...batch.keys()];
    for (let start = 0; start < ids.length; start += PAGE) {
      const page = ids.slice(start, start + PAGE);
      try {
        const rows = await (await this.#rest()).call<unknown>('crm.lead.list', {
          filter: { '@ID': page },
          select: SELECT,
        });
        const found = new Map<string, CrmLead>();
        for (const row of Array.isArray(rows) ? rows : []) {
          const lead = crmLeadSchema.safeParse(row);
          if (lead.success) found.set(lead.data.ID, lead.data);
        }
        for (const id of page)
          for (const waiter of batch.get(id) ?? []) waiter.resolve(found.get(id) ?? null);
      } catch (error) {
        for (const id of page) for (const waiter of batch.get(id) ?? []) waiter.reject(error);
      }
    }
  }
}
