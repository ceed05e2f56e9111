import { type IntakeSecretCheck, sameSecret } from '@prozvon/sdk';

/**
 * A portal's intake secrets: the current one, and during a rotation's grace period the one it
 * replaced, so a shop's server still sending the old one keeps its leads until it is updated.
 */
export interface IntakeSecrets {
  readonly current: string;
  /** The replaced secret and when it stops opening the route (epoch ms); null or absent: none. */
  readonly previous?: { readonly secret: string; readonly expiresAt: number } | null;
}

/**
 * The check `createIntakeHandler` (and the Corezoid drop-in) asks: the current secret, or the
 * previous one before its expiry, each compared in constant time. Both are always compared, so
 * the time taken does not say which one matched; `now` is asked per request (inject the clock).
 */
export function intakeSecretCheck(secrets: IntakeSecrets, now: () => number): IntakeSecretCheck {
  return (presented) => {
    if (presented === '') return false;
    const isCurrent = sameSecret(presented, secrets.current);
    const { previous } = secrets;
    const isPrevious =
      previous != null && sameSecret(presented, previous.secret) && now() < previous.expiresAt;
    return isCurrent || isPrevious;
  };
}
