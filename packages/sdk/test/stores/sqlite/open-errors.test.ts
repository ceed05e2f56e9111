import { chmodSync, mkdirSync } from 'node:fs';
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

  // Root writes anywhere, so this one needs another user.
  it.skipIf(process.getuid?.() === 0)(
    'on a directory it may not write to says which path (not as root)',
    () => {
      const locked = join(dir(), 'locked');
      mkdirSync(locked);
      chmodSync(locked, 0o500);
      expect(() => new SqliteLeadStore(join(locked, 'x.db'))).toThrow(
        /cannot open .*locked\/x\.db: .*can this process write/,
      );
    },
  );

  it('names a bad option, one line each', () => {
    expect(() => new SqliteLeadStore('', { busyTimeoutMs: -1, checkpointEveryMs: 1.5 })).toThrow(
      '@prozvon/sdk/stores/sqlite: options.busyTimeoutMs: Too small: expected number to be >=0\n' +
        '@prozvon/sdk/stores/sqlite: options.checkpointEveryMs: expected int, received number',
    );
    expect(() => new SqliteLeadStore('')).toThrow(/^@prozvon\/sdk\/stores\/sqlite: path: Too small/);
  });
});
