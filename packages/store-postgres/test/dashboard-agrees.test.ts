import { describe, it } from 'vitest';
import { expectDashboardsAgree } from '../../sdk/test/stores/dashboard-agreement.js';
import { PostgresLeadStore } from '../src/index.js';
import { postgres, useFreshSchema } from './support/postgres-schema.js';

// The dashboard's SQL against the memory store over random leads, as SQLite's is: PostgreSQL's
// own percentile_disc picks another element than the port's ⌊p·(n−1)⌋ for most counts, so a
// percentile written with it would differ here.
const db = useFreshSchema();

describe.skipIf(!postgres.found)('the PostgreSQL and the memory store’s dashboards agree', () => {
  it('over 600 random leads of three tenants, by partner and by site, in four zones', async () => {
    const store = await PostgresLeadStore.open({ url: db.url(), schema: db.schema(), poolSize: 4 });
    try {
      await expectDashboardsAgree(store);
    } finally {
      await store.close();
    }
    // About 7 s alone; three times that with the whole suite on two cores (CI timed out at 20).
  }, 120_000);
});
