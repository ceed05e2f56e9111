import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { SqliteRestLog } from '../../src/rest-log/sqlite-rest-log.js';
import { useTempDir } from '../portals/temp-dir.js';
import { entry, restLogContract, T0 } from './rest-log-contract.js';

describe('SqliteRestLog', () => {
  const dir = useTempDir();
  restLogContract('SQLite', () => new SqliteRestLog(join(dir(), 'prozvon.db')));

  it('keeps its rows in the app file across a reopen, and prunes by the time index', async () => {
    const file = join(dir(), 'prozvon.db');
    const first = new SqliteRestLog(file);
    await first.append([entry('member-a', T0), entry('member-a', T0 + 1)]);
    await first.close();
    const again = new SqliteRestLog(file);
    expect(await again.list('member-a', { limit: 10 })).toHaveLength(2);
    await again.close();
    const db = new DatabaseSync(file);
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT id FROM portal_rest_log WHERE at < 1 ORDER BY at LIMIT 5')
      .all()
      .map((row) => String(row.detail));
    db.close();
    expect(plan.join(' ')).toContain('portal_rest_log_by_time');
  });
});
