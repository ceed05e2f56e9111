import { afterEach, beforeEach, describe } from 'vitest';
import type { LeadStore } from '../../src/ports/lead-store.js';
import { adoptContract } from './contract/adopt.js';
import { claimEffectsContract } from './contract/claim-effects.js';
import { claimLeadsContract } from './contract/claim-leads.js';
import { claimOnQueueContract } from './contract/claim-on-queue.js';
import { countersContract } from './contract/counters.js';
import { deleteTenantContract } from './contract/delete-tenant.js';
import { finishEffectContract } from './contract/finish-effect.js';
import { inFlightCapsContract } from './contract/in-flight-caps.js';
import { insertContract } from './contract/insert.js';
import { listLeadsContract } from './contract/list-leads.js';
import { pendingCallsContract } from './contract/pending-calls.js';
import { pruneFinishedContract } from './contract/prune-finished.js';
import { readsContract } from './contract/reads.js';
import { replayContract } from './contract/replay.js';
import { updateContract } from './contract/update.js';

/**
 * The one LeadStore contract: every implementation (memory, SQLite, PostgreSQL) registers it with
 * a factory that returns a fresh, empty store. It speaks only through the port, so a store that
 * passes it can replace any other under the engine.
 */
export function describeLeadStoreContract(name: string, createStore: () => Promise<LeadStore>): void {
  describe(`LeadStore contract: ${name}`, () => {
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

    insertContract(current);
    updateContract(current);
    claimLeadsContract(current);
    claimEffectsContract(current);
    claimOnQueueContract(current);
    inFlightCapsContract(current);
    finishEffectContract(current);
    readsContract(current);
    listLeadsContract(current);
    pendingCallsContract(current);
    replayContract(current);
    adoptContract(current);
    countersContract(current);
    deleteTenantContract(current);
    pruneFinishedContract(current);
  });
}
