import { createHmac, timingSafeEqual } from 'node:crypto';
import { SIGNATURE_VERSION } from './headers.js';

/*
 * VoxEngine's `Crypto.hmac_sha256(key: string, data: string): string` is documented with nothing
 * more than those types (voximplant.com/docs/references/voxengine/crypto/hmac_sha256, and the same
 * declaration in voximplant/voxengine-ci 28.0.0 typings/voxengine.d.ts, `declare module Crypto`):
 * neither says how the strings become bytes nor how the MAC is written out. So the protocol does
 * not depend on either:
 * - the key is 64 hex characters and the signed text is ASCII (the scenario writes every other
 *   character of its body as a JSON `\uXXXX` escape), so UTF-8 and Latin-1 give the same bytes;
 * - the MAC is taken in hex (either case) or in base64, the two encodings a string-returning
 *   HMAC is written in; both are the same 32 bytes, compared in constant time.
 */

const HEX_MAC = /^[0-9a-f]{64}$/i;
const BASE64_MAC = /^[A-Za-z0-9+/]{43}=$/;

function macOf(callKey: string, timestamp: string, rawBody: string): Buffer {
  return createHmac('sha256', Buffer.from(callKey, 'utf8'))
    .update(`${timestamp}.${rawBody}`, 'utf8')
    .digest();
}

/**
 * The signature header of one result: HMAC-SHA256 keyed with the per-call key (its text as bytes),
 * over `<timestamp>.<raw body>`, in lowercase hex, after the version: `v1=<hex>`.
 */
export function signResult(callKey: string, timestamp: string, rawBody: string): string {
  return `${SIGNATURE_VERSION}=${macOf(callKey, timestamp, rawBody).toString('hex')}`;
}

/** The MAC a header carries (`v1=` and hex or base64), or null when it carries none. */
export function macInHeader(header: string): Buffer | null {
  const text = header.trim();
  const prefix = `${SIGNATURE_VERSION}=`;
  if (text.slice(0, prefix.length).toLowerCase() !== prefix) return null;
  const mac = text.slice(prefix.length);
  if (HEX_MAC.test(mac)) return Buffer.from(mac, 'hex');
  if (BASE64_MAC.test(mac)) return Buffer.from(mac, 'base64');
  return null;
}

/** Constant-time comparison of a received signature header with the expected MAC. */
export function signatureMatches(
  callKey: string,
  timestamp: string,
  rawBody: string,
  header: string,
): boolean {
  const received = macInHeader(header);
  const expected = macOf(callKey, timestamp, rawBody);
  // Both are 32 bytes once decoded; a header that decodes to nothing reveals nothing about the key.
  return received !== null && received.length === expected.length && timingSafeEqual(expected, received);
}
