import { randomBytes } from 'node:crypto';
import type { PortalStore } from '../portals/portal-store.js';
import { SECRET_NAMES } from '../settings/portal-providers.js';

/** 192 random bits, base64url: a secret a shop pastes once and never types. */
export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * The secrets every installed portal has from the start: the intake secret its site posts leads
 * with, and the key its voice results are signed with. Kept across a second install; created again
 * after an uninstall (which deleted them).
 */
export async function ensurePortalSecrets(portals: PortalStore, memberId: string, at: number): Promise<void> {
  const portal = await portals.getByMemberId(memberId);
  if (portal === null) return;
  const missing: Record<string, string> = {};
  for (const name of [SECRET_NAMES.intake, SECRET_NAMES.voice]) {
    if (portal.secrets[name] === undefined) missing[name] = newSecret();
  }
  if (Object.keys(missing).length === 0) return;
  await portals.updateSettings(memberId, { secrets: missing }, { by: 'prozvon:install', at });
}
