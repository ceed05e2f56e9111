import { afterEach, beforeEach, describe } from 'vitest';
import type { LeadStore } from '../../src/ports/lead-store.js';
import { dashboardFiguresContract } from './contract/dashboard-figures.js';
import { leadFactsContract } from './contract/lead-facts.js';

/**
 * The dashboard's part of the LeadStore contract: the lead's dashboard columns, "it was a
 * person", and the figures counted over them. Registered beside describeLeadStoreContract by
 * every implementation (memory, SQLite, PostgreSQL) with a factory of fresh, empty stores.
 */
export function describeDashboardContract(name: string, createStore: () => Promise<LeadStore>): void {
  describe(`LeadStore dashboard contract: ${name}`, () => {
    let store: LeadStore | undefined;
    const current = (): LeadStore => {
      if (!store) throw new Error('the store is created in beforeEach');
      return store;
    };

    beforeEach(async () => {
      store = await createStore();
    });
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    leadFactsContract(current);
    dashboardFiguresContract(current);
  });
}
