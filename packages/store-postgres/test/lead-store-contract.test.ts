import { describe } from 'vitest';
import { describeLeadStoreContract } from '../../sdk/test/stores/lead-store-contract.js';
import { PostgresLeadStore } from '../src/index.js';
import { postgres, useFreshSchema } from './support/postgres-schema.js';

// The SDK's one LeadStore contract, the same the memory and SQLite stores pass, on PostgreSQL:
// this file's own schema, emptied before each test.
const db = useFreshSchema();

describe.skipIf(!postgres.found)('PostgreSQL', () => {
  describeLeadStoreContract('postgres', async () => {
    const store = await PostgresLeadStore.open({ url: db.url(), schema: db.schema(), poolSize: 4 });
    await db.empty();
    return store;
  });
});
