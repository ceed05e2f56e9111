import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { SettingsError } from '@prozvon/sdk';

/**
 * Secrets at rest: AES-256-GCM under the master key from `PROZVON_MASTER_KEY`. A ciphertext reads
 * `v1.<keyId>.<iv>.<tag>.<ciphertext>`, each part base64url. The key id lets the key be rotated:
 * the keyring encrypts under its current key and decrypts under any key it holds, so old rows
 * keep working until they are re-encrypted. The version prefix leaves room for another format.
 *
 * Every ciphertext is bound to a context (a portal and a field, as additional authenticated
 * data): a token copied from one portal's row into another's, or from one field into another,
 * fails to decrypt instead of being used.
 */

const SOURCE = '@prozvon/b24-app';
export const MASTER_KEY_VARIABLE = 'PROZVON_MASTER_KEY';
const VERSION = 'v1';
const KEY_BYTES = 32;
/** 96 bits: GCM's own nonce size; random per encryption (2^32 encryptions per key stay safe). */
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Why a ciphertext could not be read. Never carries a key, a plaintext or the ciphertext. */
export class SecretError extends Error {
  readonly code: 'malformed' | 'unknown_key' | 'tampered';

  constructor(code: SecretError['code'], message: string) {
    super(message);
    this.name = 'SecretError';
    this.code = code;
  }
}

/** A 32-byte AES key and the id written into its ciphertexts. */
export interface MasterKey {
  readonly id: string;
  readonly key: Buffer;
}

/**
 * Reads a master key: 32 bytes as 64 hex digits or as base64 (`openssl rand -base64 32`). The
 * id is derived from the key (an HMAC of it, 8 bytes), so a rotation needs no id chosen by hand
 * and two keys never share one by mistake. `name` is the variable named in the error, which
 * never shows the value.
 */
export function parseMasterKey(value: string | undefined, name = MASTER_KEY_VARIABLE): MasterKey {
  const text = value?.trim() ?? '';
  const fail = (message: string) => new SettingsError(SOURCE, [{ field: name, message }]);
  if (text === '')
    throw fail('required: 32 random bytes as base64 (openssl rand -base64 32) or 64 hex digits');
  let key: Buffer;
  if (/^[0-9a-fA-F]{64}$/.test(text)) key = Buffer.from(text, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) key = Buffer.from(text, 'base64');
  else throw fail('expected 32 bytes as base64 or 64 hex digits, got other characters');
  if (key.length !== KEY_BYTES) {
    throw fail(`expected 32 bytes as base64 or 64 hex digits, got ${key.length} bytes`);
  }
  const id = createHmac('sha256', key)
    .update('prozvon master key id')
    .digest()
    .subarray(0, 8)
    .toString('base64url');
  return { id, key };
}

/**
 * The keyring: `current` encrypts, every key decrypts. Rotation: set the new key as current and
 * the old one among `older` (PROZVON_MASTER_KEY and PROZVON_MASTER_KEYS_OLD: secret-box-from-env.ts), then
 * `reencrypt` what `needsReencrypt` names.
 */
export class SecretBox {
  readonly #current: MasterKey;
  // KeyObjects made once: given a Buffer, every cipher made its own (each portal read decrypts
  // its tokens and secrets, so that was most of the app's allocations in crypto).
  readonly #keys = new Map<string, KeyObject>();
  readonly #currentKey: KeyObject;

  constructor(current: MasterKey, older: readonly MasterKey[] = []) {
    this.#current = current;
    for (const key of [...older, current]) this.#keys.set(key.id, createSecretKey(key.key));
    this.#currentKey = this.#keys.get(current.id) as KeyObject; // set last: the current key wins its id
  }

  /** The id of the key new ciphertexts are written under. */
  get currentKeyId(): string {
    return this.#current.id;
  }

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#currentKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(this.#current.id, context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url'));
    return [VERSION, this.#current.id, ...parts].join('.');
  }

  decrypt(ciphertext: string, context: string): string {
    const { keyId, iv, tag, body } = split(ciphertext);
    const key = this.#keys.get(keyId);
    if (!key) {
      throw new SecretError(
        'unknown_key',
        `a secret is encrypted under key ${keyId}, which the keyring does not hold (was an old ${MASTER_KEY_VARIABLE} dropped?)`,
      );
    }
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(keyId, context));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      // OpenSSL's own message says nothing useful; the cause would add nothing either.
      throw new SecretError('tampered', `a secret (${context}) failed its integrity check: changed or moved`);
    }
  }

  /** True when `ciphertext` is under an older key and should be written again under the current one. */
  needsReencrypt(ciphertext: string): boolean {
    return split(ciphertext).keyId !== this.#current.id;
  }

  reencrypt(ciphertext: string, context: string): string {
    return this.needsReencrypt(ciphertext)
      ? this.encrypt(this.decrypt(ciphertext, context), context)
      : ciphertext;
  }
}

function aad(keyId: string, context: string): Buffer {
  return Buffer.from(`${VERSION}.${keyId}.${context}`, 'utf8');
}

function split(ciphertext: string): { keyId: string; iv: Buffer; tag: Buffer; body: Buffer } {
  const parts = ciphertext.split('.');
  const [version, keyId, iv, tag, body] = parts;
  if (parts.length !== 5 || version !== VERSION || !keyId || iv === undefined || tag === undefined) {
    throw new SecretError('malformed', `a stored secret is not a ${VERSION} ciphertext`);
  }
  const decoded = { keyId, iv: Buffer.from(iv, 'base64url'), tag: Buffer.from(tag, 'base64url') };
  if (decoded.iv.length !== IV_BYTES || decoded.tag.length !== TAG_BYTES || body === undefined) {
    throw new SecretError('malformed', `a stored secret is not a ${VERSION} ciphertext`);
  }
  return { ...decoded, body: Buffer.from(body, 'base64url') };
}

/**
 * A secret as the API shows it: its last four characters, so an owner can tell which key is set,
 * and only when the secret is long enough (12+) that four characters give little away.
 */
export function mask(secret: string | null | undefined): string | null {
  if (secret === null || secret === undefined || secret === '') return null;
  return secret.length >= 12 ? `••••${secret.slice(-4)}` : '••••';
}
