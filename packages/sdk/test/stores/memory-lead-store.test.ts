import { MemoryLeadStore } from '../../src/stores/memory-lead-store.js';
import { describeDashboardContract } from './dashboard-contract.js';
import { describeLeadStoreContract } from './lead-store-contract.js';

describeLeadStoreContract('memory', async () => {
  const store = new MemoryLeadStore();
  await store.migrate();
  return store;
});

describeDashboardContract('memory', async () => new MemoryLeadStore());
