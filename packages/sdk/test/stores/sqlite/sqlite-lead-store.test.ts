import { join } from 'node:path';
import { SqliteLeadStore } from '../../../src/stores/sqlite/index.js';
import { describeDashboardContract } from '../dashboard-contract.js';
import { describeLeadStoreContract } from '../lead-store-contract.js';
import { useTempDir } from './temp-dir.js';

describeLeadStoreContract('sqlite :memory:', async () => new SqliteLeadStore(':memory:'));
describeDashboardContract('sqlite :memory:', async () => new SqliteLeadStore(':memory:'));

// The same contracts on a WAL file, as the engine runs it.
const dir = useTempDir();
describeLeadStoreContract('sqlite file', async () => new SqliteLeadStore(join(dir(), 'leads.db')));
describeDashboardContract('sqlite file', async () => new SqliteLeadStore(join(dir(), 'leads.db')));
