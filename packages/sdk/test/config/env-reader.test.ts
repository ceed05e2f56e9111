import { describe, expect, it } from 'vitest';
import { envReader, SettingsError } from '../../src/index.js';

describe('envReader', () => {
  it('gives trimmed values and names every missing variable in one error, never a value', () => {
    const read = envReader('@prozvon/x', { A: ' a ', EMPTY: '  ', SECRET: 'hunter2' });
    expect(read.need('A')).toBe('a');
    expect(read.optional('EMPTY')).toBeUndefined();
    expect(read.has('SECRET')).toBe(true);
    read.need('B');
    read.need('EMPTY');
    const thrown = (() => {
      try {
        read.done({});
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(SettingsError);
    expect((thrown as Error).message).toBe('@prozvon/x: B: not set\n@prozvon/x: EMPTY: not set');
  });

  it('returns the value when nothing is missing', () => {
    const read = envReader('@prozvon/x', { A: 'a' });
    expect(read.done({ a: read.need('A') })).toEqual({ a: 'a' });
  });
});
