import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { secretBoxFromEnv } from '../../src/portals/secret-box-from-env.js';

const key = () => randomBytes(32).toString('base64');

describe('secretBoxFromEnv', () => {
  it('encrypts under PROZVON_MASTER_KEY and decrypts under the old keys too', () => {
    const [old1, old2, current] = [key(), key(), key()];
    const sealed1 = secretBoxFromEnv({ PROZVON_MASTER_KEY: old1 }).encrypt('one', 'c');
    const sealed2 = secretBoxFromEnv({ PROZVON_MASTER_KEY: old2 }).encrypt('two', 'c');
    const box = secretBoxFromEnv({
      PROZVON_MASTER_KEY: current,
      PROZVON_MASTER_KEYS_OLD: ` ${old1}, ${old2},`,
    });
    expect(box.decrypt(sealed1, 'c')).toBe('one');
    expect(box.decrypt(sealed2, 'c')).toBe('two');
    expect(box.needsReencrypt(box.encrypt('three', 'c'))).toBe(false);
  });

  it('names the variable that is missing or wrong, and never its value', () => {
    expect(() => secretBoxFromEnv({})).toThrow(/PROZVON_MASTER_KEY: required/);
    const bad = randomBytes(8).toString('hex');
    let message = '';
    try {
      secretBoxFromEnv({ PROZVON_MASTER_KEY: key(), PROZVON_MASTER_KEYS_OLD: `${key()},${bad}` });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/PROZVON_MASTER_KEYS_OLD\[1\]: expected 32 bytes/);
    expect(message).not.toContain(bad);
  });
});
