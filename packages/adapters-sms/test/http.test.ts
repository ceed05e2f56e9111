import { describe, expect, it } from 'vitest';
import { connectionErrorCode } from '../src/http.js';

// fetch reports every network failure as TypeError('fetch failed'); only the code in its cause
// tells "never connected" (safe to hand to another provider) from "broke mid-request" (ambiguous).
const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });
const sysError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

describe('connectionErrorCode', () => {
  it('reads the system code under fetch’s generic error', () => {
    expect(connectionErrorCode(fetchFailed(sysError('ECONNREFUSED')))).toBe('ECONNREFUSED');
    expect(connectionErrorCode(fetchFailed(sysError('ECONNRESET')))).toBe('ECONNRESET');
  });

  it('reads a happy-eyeballs AggregateError when every address failed the same way', () => {
    const all = new AggregateError([sysError('ECONNREFUSED'), sysError('ECONNREFUSED')]);
    expect(connectionErrorCode(fetchFailed(all))).toBe('ECONNREFUSED');
  });

  it('gives no code when the addresses failed differently, or there is no cause', () => {
    const mixed = new AggregateError([sysError('ECONNREFUSED'), sysError('ETIMEDOUT')]);
    expect(connectionErrorCode(fetchFailed(mixed))).toBeUndefined();
    expect(connectionErrorCode(new TypeError('fetch failed'))).toBeUndefined();
    expect(connectionErrorCode('not an error')).toBeUndefined();
  });
});
