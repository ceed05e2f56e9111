import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether a presented secret is `secret`, in time that does not depend on where they differ.
 * Both are hashed first (SHA-256) so the comparison also takes the same time whatever the
 * presented length: `timingSafeEqual` alone needs equal lengths, and an early length check would
 * tell a prober how long the secret is.
 */
export function sameSecret(presented: string, secret: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(secret).digest();
  return timingSafeEqual(a, b);
}
