import type { Logger } from '@prozvon/sdk';
import { z } from 'zod';
import type { PortalRestSource } from '../b24/portal-rest.js';
import type { CrmLeadIntake } from './crm-lead-intake.js';

/** The name this app's drains hold records under, so a drain cut short is picked up by the next. */
export const DRAIN_PROCESS_ID = 'prozvon-drain';
/** How often every portal's queue is drained without being told (a lost ONOFFLINEEVENT). */
export const DRAIN_EVERY_MS = 5 * 60_000;

const recordSchema = z
  .object({
    EVENT_NAME: z.string(),
    EVENT_DATA: z
      .object({ FIELDS: z.object({ ID: z.coerce.string() }).loose() })
      .loose()
      .nullish()
      .catch(null),
  })
  .loose();
const getAnswerSchema = z.object({ process_id: z.string().nullish(), events: z.array(recordSchema) }).loose();

export interface OfflineDrainDeps {
  readonly rest: PortalRestSource;
  readonly crmLeads: CrmLeadIntake;
  readonly activePortals: () => Promise<readonly string[]>;
  readonly logger: Logger;
}

/**
 * Recovers the leads whose ONCRMLEADADD never reached the app (it was down, the event was lost:
 * online events are never redelivered, BITRIX24.md §3) from the offline queue: records are read
 * held (`clear=0`) under the app's process id, every lead is committed, and only then are they
 * cleared. A drain that dies half-way leaves its records held; the next one takes them first. A
 * lead already known is not taken twice (adoption is idempotent per CRM id).
 */
export class OfflineDrain {
  readonly #deps: OfflineDrainDeps;
  /** Per portal: the drain running, and whether another was asked for meanwhile. */
  readonly #running = new Map<string, { again: boolean; done: Promise<void> }>();
  #timer: NodeJS.Timeout | undefined;
  /** The round at start, which stop waits for like any drain. */
  #first: Promise<void> = Promise.resolve();

  constructor(deps: OfflineDrainDeps) {
    this.#deps = deps;
  }

  /**
   * Drains every active portal now and then every few minutes. Not awaited: with many portals the
   * first round takes minutes at each portal's request rate, and the app serves meanwhile.
   */
  start(everyMs = DRAIN_EVERY_MS): void {
    this.#first = this.drainAll();
    this.#timer = setInterval(() => void this.drainAll(), everyMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#first;
    await Promise.all([...this.#running.values()].map((run) => run.done));
  }

  async drainAll(): Promise<void> {
    const portals = await this.#deps.activePortals().catch((error: unknown) => {
      this.#deps.logger.error({ err: error }, 'offline drain: portals unreadable');
      return [];
    });
    await Promise.all(portals.map((memberId) => this.drain(memberId)));
  }

  /** Drains one portal; a call while it runs makes it run once more after (the queue grew). */
  drain(memberId: string): Promise<void> {
    const running = this.#running.get(memberId);
    if (running !== undefined) {
      running.again = true;
      return running.done;
    }
    const run = { again: false, done: Promise.resolve() };
    run.done = (async () => {
      try {
        do {
          run.again = false;
          await this.#drainOnce(memberId);
        } while (run.again);
      } catch (error) {
        this.#deps.logger.warn({ err: error, memberId }, 'offline drain stopped; the next one carries on');
      } finally {
        this.#running.delete(memberId);
      }
    })();
    this.#running.set(memberId, run);
    return run.done;
  }

  async #drainOnce(memberId: string): Promise<void> {
    const rest = await this.#deps.rest.forPortal(memberId);
    // Records held by a drain that did not finish: they are no longer handed out by get.
    const left = z
      .array(recordSchema)
      .parse((await rest.call('event.offline.list', { filter: { PROCESS_ID: DRAIN_PROCESS_ID } })) ?? []);
    if (left.length > 0) {
      await this.#take(memberId, left);
      await rest.call('event.offline.clear', { process_id: DRAIN_PROCESS_ID });
    }
    for (;;) {
      const answer = getAnswerSchema.parse(
        await rest.call('event.offline.get', {
          clear: 0,
          limit: 50,
          process_id: DRAIN_PROCESS_ID,
          filter: { EVENT_NAME: 'ONCRMLEADADD' },
        }),
      );
      if (answer.events.length === 0) return;
      await this.#take(memberId, answer.events);
      await rest.call('event.offline.clear', { process_id: answer.process_id ?? DRAIN_PROCESS_ID });
      if (answer.events.length < 50) return;
    }
  }

  async #take(memberId: string, records: readonly z.infer<typeof recordSchema>[]): Promise<void> {
    const ids = new Set<string>();
    for (const record of records) {
      const id = record.EVENT_DATA?.FIELDS.ID;
      if (record.EVENT_NAME.toUpperCase() === 'ONCRMLEADADD' && id !== undefined) ids.add(id);
    }
    // All at once: the reader folds them into one crm.lead.list per 50.
    await Promise.all([...ids].map((id) => this.#deps.crmLeads.take(memberId, id, 'offline')));
  }
}
