import { createHmac, timingSafeEqual } from 'node:crypto';
import { SIGNATURE_VERSION } from './headers.js';

/**
 * The MAC of one result: HMAC-SHA256 keyed with the per-call key (its text as UTF-8 bytes, as
 * VoxEngine's `Crypto.hmac_sha256(key, data)` takes a string), over `<timestamp>.<raw body>`, in
 * lowercase hex. VoxEngine's output encoding is unverified (VOXIMPLANT.md); hex is assumed.
 */
export function signResult(callKey: string, timestamp: string, rawBody: string): string {
  const mac = createHmac('sha256', Buffer.from(callKey, 'utf8'))
    .update(`${timestamp}.${rawBody}`, 'utf8')
    .digest('hex');
  return `${SIGNATURE_VERSION}=${mac}`;
}

/** Constant-time comparison of a received signature header with the expected one. */
export function signatureMatches(
  callKey: string,
  timestamp: string,
  rawBody: string,
  header: string,
): boolean {
  const expected = Buffer.from(signResult(callKey, timestamp, rawBody), 'utf8');
  const received = Buffer.from(header.trim().toLowerCase(), 'utf8');
  // timingSafeEqual needs equal lengths; a length mismatch reveals nothing about the key.
  return expected.length === received.length && timingSafeEqual(expected, received);
}
