import { describe, expect, it } from 'vitest';
import { findPostgres } from '../../src/index.js';

describe('findPostgres', () => {
  const url = 'postgres://postgres@127.0.0.1:5432/test';

  it('takes PROZVON_TEST_DATABASE_URL, in CI or not', () => {
    expect(findPostgres({ PROZVON_TEST_DATABASE_URL: url })).toEqual({ found: true, url });
    expect(findPostgres({ CI: 'true', PROZVON_TEST_DATABASE_URL: ` ${url} ` })).toEqual({ found: true, url });
  });

  it('without a URL, outside CI: a skip with one line that says how to enable it', () => {
    const lookup = findPostgres({});
    expect(lookup.found).toBe(false);
    if (lookup.found) return;
    expect(lookup.reason).toContain('skipped');
    expect(lookup.reason).toContain('PROZVON_TEST_DATABASE_URL');
    expect(lookup.reason).not.toContain('\n');
  });

  it('without a URL under CI: a failure, never a skip', () => {
    expect(() => findPostgres({ CI: '1' })).toThrow(/under CI/);
    expect(findPostgres({ CI: 'false', PROZVON_TEST_DATABASE_URL: '' }).found).toBe(false);
  });

  it('refuses a URL that is not PostgreSQL’s', () => {
    expect(() => findPostgres({ PROZVON_TEST_DATABASE_URL: 'mysql://x' })).toThrow(/postgres:\/\//);
  });
});
