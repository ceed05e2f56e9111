import { describe } from 'vitest';
import { describeDashboardContract } from '../../sdk/test/stores/dashboard-contract.js';
import { describeLeadStoreContract } from '../../sdk/test/stores/lead-store-contract.js';
import { PostgresLeadStore } from '../src/index.js';
import { postgres, useFreshSchema } from './support/postgres-schema.js';

// The SDK's one LeadStore contract and its dashboard part, the same the memory and SQLite stores
// pass, on PostgreSQL: this file's own schema, emptied before each test.
const db = useFreshSchema();

describe.skipIf(!postgres.found)('PostgreSQL', () => {
  const fresh = async () => {
    const store = await PostgresLeadStore.open({ url: db.url(), schema: db.schema(), poolSize: 4 });
    await db.empty();
    return store;
  };
  describeLeadStoreContract('postgres', fresh);
  describeDashboardContract('postgres', fresh);
});
