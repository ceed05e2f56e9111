import { describe, it } from 'vitest';
import { SqliteLeadStore } from '../../../src/stores/sqlite/index.js';
import { expectDashboardsAgree } from '../dashboard-agreement.js';

describe('the SQLite and the memory store’s dashboards agree', () => {
  it('over 600 random leads of three tenants, by partner and by site, in four zones', async () => {
    const sqlite = new SqliteLeadStore(':memory:');
    try {
      await expectDashboardsAgree(sqlite);
    } finally {
      await sqlite.close();
    }
  });
});
