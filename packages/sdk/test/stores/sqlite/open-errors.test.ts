import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsError } from '../../../src/index.js';
import { SqliteLeadStore } from '../../../src/stores/sqlite/index.js';
import { useTempDir } from './temp-dir.js';

describe('SqliteLeadStore settings', () => {
  const dir = useTempDir();

  // Before: "unable to open database file", naming no file.
  it('on a missing directory says which path and which directory', () => {
    expect(() => new SqliteLeadStore('/no/such/dir/x.db')).toThrow(SettingsError);
    expect(() => new SqliteLeadStore('/no/such/dir/x.db')).toThrow(
      '@prozvon/sdk/stores/sqlite: path: cannot open /no/such/dir/x.db: its directory /no/such/dir does not exist',
    );
  });

  // Not a directory SQLite can create the file in, whoever runs it (root writes anywhere, so a
  // read-only directory would prove nothing under CI): a plain file where the directory should be.
  it('where it cannot create the file, says which path and asks whether it may write there', () => {
    const plain = join(dir(), 'plain');
    writeFileSync(plain, 'not a directory');
    expect(() => new SqliteLeadStore(join(plain, 'x.db'))).toThrow(
      /cannot open .*plain\/x\.db: .*can this process write to .*plain\?/,
    );
  });

  it('names a bad option, one line each', () => {
    expect(() => new SqliteLeadStore('', { busyTimeoutMs: -1, checkpointEveryMs: 1.5 })).toThrow(
      '@prozvon/sdk/stores/sqlite: options.busyTimeoutMs: Too small: expected number to be >=0\n' +
        '@prozvon/sdk/stores/sqlite: options.checkpointEveryMs: expected int, received number',
    );
    expect(() => new SqliteLeadStore('')).toThrow(/^@prozvon\/sdk\/stores\/sqlite: path: Too small/);
  });
});
