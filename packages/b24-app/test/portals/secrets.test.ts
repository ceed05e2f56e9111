import { randomBytes } from 'node:crypto';
import { SettingsError } from '@prozvon/sdk';
import { describe, expect, it } from 'vitest';
import { mask, parseMasterKey, SecretBox, SecretError } from '../../src/portals/secrets.js';

const base64Key = () => randomBytes(32).toString('base64');
const CONTEXT = 'portal-1/accessToken';

/** Flips one bit of the ciphertext part `index` (2 iv, 3 tag, 4 body). */
function flip(ciphertext: string, index: number): string {
  const parts = ciphertext.split('.');
  const bytes = Buffer.from(parts[index] ?? '', 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 1;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('parseMasterKey', () => {
  it('reads 32 bytes as base64 or as hex, the same key giving the same id', () => {
    const bytes = randomBytes(32);
    const fromBase64 = parseMasterKey(bytes.toString('base64'));
    const fromHex = parseMasterKey(bytes.toString('hex'));
    expect(fromBase64.key.equals(bytes)).toBe(true);
    expect(fromHex.id).toBe(fromBase64.id);
    expect(fromBase64.id).toMatch(/^[A-Za-z0-9_-]{11}$/);
    expect(parseMasterKey(base64Key()).id).not.toBe(fromBase64.id);
  });

  it('refuses a missing, short or garbled key, naming the variable and never the value', () => {
    const short = randomBytes(16).toString('base64');
    for (const value of [undefined, '', '  ', short, 'not a key!', `${'ab'.repeat(31)}zz`]) {
      const error = thrown(() => parseMasterKey(value));
      expect(error).toBeInstanceOf(SettingsError);
      expect(error.message).toMatch(/PROZVON_MASTER_KEY/);
      if (value?.trim()) expect(error.message).not.toContain(value.trim());
    }
    expect(thrown(() => parseMasterKey(short)).message).toMatch(/got 16 bytes/);
  });
});

describe('SecretBox', () => {
  it('round-trips a secret, with a fresh IV every time, in the v1.<keyId>.<iv>.<tag>.<body> format', () => {
    const box = new SecretBox(parseMasterKey(base64Key()));
    const secret = 'access-token-ÿ-0123456789';
    const a = box.encrypt(secret, CONTEXT);
    const b = box.encrypt(secret, CONTEXT);
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret);
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(a.split('.')[1]).toBe(box.currentKeyId);
    expect(box.decrypt(a, CONTEXT)).toBe(secret);
    expect(box.decrypt(box.encrypt('', CONTEXT), CONTEXT)).toBe('');
  });

  it('decrypts an old ciphertext after the key is rotated, and re-encrypts it under the new key', () => {
    const oldKey = parseMasterKey(base64Key());
    const old = new SecretBox(oldKey).encrypt('refresh-token', CONTEXT);
    const rotated = new SecretBox(parseMasterKey(base64Key()), [oldKey]);
    expect(rotated.needsReencrypt(old)).toBe(true);
    expect(rotated.decrypt(old, CONTEXT)).toBe('refresh-token');
    const again = rotated.reencrypt(old, CONTEXT);
    expect(again.split('.')[1]).toBe(rotated.currentKeyId);
    expect(rotated.needsReencrypt(again)).toBe(false);
    expect(rotated.reencrypt(again, CONTEXT)).toBe(again);
    expect(rotated.decrypt(again, CONTEXT)).toBe('refresh-token');
  });

  it('refuses a tampered IV, tag or body, and a ciphertext moved to another context', () => {
    const box = new SecretBox(parseMasterKey(base64Key()));
    const sealed = box.encrypt('application-token', CONTEXT);
    for (const index of [2, 3, 4]) {
      const error = thrown(() => box.decrypt(flip(sealed, index), CONTEXT));
      expect(error).toBeInstanceOf(SecretError);
      expect((error as SecretError).code).toBe('tampered');
    }
    expect((thrown(() => box.decrypt(sealed, 'portal-2/accessToken')) as SecretError).code).toBe('tampered');
  });

  it('refuses a ciphertext under a key it does not hold, or not in its format', () => {
    const sealed = new SecretBox(parseMasterKey(base64Key())).encrypt('token', CONTEXT);
    const other = new SecretBox(parseMasterKey(base64Key()));
    const unknown = thrown(() => other.decrypt(sealed, CONTEXT)) as SecretError;
    expect(unknown.code).toBe('unknown_key');
    expect(unknown.message).toContain(sealed.split('.')[1]);
    // A key id rewritten to the box's own: its own key fails the tag, the key id being authenticated.
    const relabelled = sealed.split('.').with(1, other.currentKeyId).join('.');
    expect((thrown(() => other.decrypt(relabelled, CONTEXT)) as SecretError).code).toBe('tampered');
    for (const bad of ['', 'token', `v2${sealed.slice(2)}`, sealed.split('.').slice(0, 4).join('.')]) {
      expect((thrown(() => other.decrypt(bad, CONTEXT)) as SecretError).code).toBe('malformed');
    }
  });

  it('never puts a key, the plaintext or the ciphertext into an error message', () => {
    const raw = base64Key();
    const key = parseMasterKey(raw);
    const box = new SecretBox(key);
    const sealed = box.encrypt('the-plaintext-secret', CONTEXT);
    const errors = [
      thrown(() => box.decrypt(flip(sealed, 4), CONTEXT)),
      thrown(() => box.decrypt(flip(sealed, 3), CONTEXT)),
      thrown(() => new SecretBox(parseMasterKey(base64Key())).decrypt(sealed, CONTEXT)),
      thrown(() => box.decrypt('v1.x.y', CONTEXT)),
      thrown(() => parseMasterKey(raw.slice(0, 20))),
    ];
    for (const error of errors) {
      const text = `${error.message} ${String(error.stack)} ${JSON.stringify(error)}`;
      for (const forbidden of [raw, raw.slice(0, 20), key.key.toString('hex'), 'the-plaintext-secret']) {
        expect(text).not.toContain(forbidden);
      }
      expect(text).not.toContain(sealed.split('.')[4]);
    }
  });
});

describe('mask', () => {
  it('shows the last four characters of a long secret only', () => {
    expect(mask('sk_live_0123456789abcd1234')).toBe('••••1234');
    expect(mask('short-key')).toBe('••••');
    expect(mask('')).toBeNull();
    expect(mask(null)).toBeNull();
  });
});
