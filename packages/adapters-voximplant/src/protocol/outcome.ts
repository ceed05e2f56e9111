import type { CallOutcome } from '@prozvon/sdk';

/**
 * How a call's ending becomes one of the engine's outcomes (VOXIMPLANT.md, "Mapping to Prozvon
 * outcomes"). This is the one TypeScript copy; the VoxEngine scenario carries its own (it cannot
 * import), and test/protocol/scenario-mapping.test.ts checks the two agree code by code.
 */

/**
 * SIP codes that mean the number itself is wrong: 404 not found, 484 address incomplete, 604 does
 * not exist anywhere, 410 gone (410 is RFC 3261; whether Voximplant emits it is unverified).
 */
export const INVALID_NUMBER_CODES: readonly number[] = [404, 410, 484, 604];

/**
 * SIP codes that mean the platform would not place the call for the account's own reasons, so
 * trying again later pays to fail again:
 * - 402 "Insufficient funds": listed for `CallEvents.Failed` in Voximplant's VoxEngine typings
 *   (voximplant/voxengine-ci 28.0.0, typings/voxengine.d.ts) and as `INSUFFICIENT_FUNDS` in its
 *   Web and iOS SDKs' call-failure codes (voximplant.com/docs/references/websdk/voximplant/callerror,
 *   …/iossdk/vicallfailerrorcode);
 * - 403 Forbidden (RFC 3261): the call is not allowed — a caller id the account may not use, a
 *   destination blocked by the account's settings (expensive and African destinations are blocked
 *   by default, per callPSTN's doc comment), a barred number. Voximplant does not list 403 for
 *   Failed; Bitrix24's telephony, which runs on Voximplant, names 402 "insufficient funds on the
 *   account" and 403 "prohibited" among its call failure codes (mesilov/bitrix24-php-sdk,
 *   CallFailedCode). Which code a blocked destination really gets is unverified.
 */
export const REFUSED_CODES: readonly number[] = [402, 403];

/**
 * A call that failed before it was answered. A wrong number is `invalid`; an account that cannot
 * pay or may not make the call is `refused` (the sellers hear at once, nothing is retried);
 * everything else is worth another try later: busy (486), no answer (408), switched off (480),
 * declined (603), request terminated (487), carrier errors (5xx).
 */
export function outcomeForFailureCode(code: number): Extract<CallOutcome, 'nodial' | 'invalid' | 'refused'> {
  if (INVALID_NUMBER_CODES.includes(code)) return 'invalid';
  if (REFUSED_CODES.includes(code)) return 'refused';
  return 'nodial';
}

/** The answering-machine detector's verdict classes (AMD.ResultClass in VoxEngine). */
export const AMD_RESULT_CLASSES = ['HUMAN', 'VOICEMAIL', 'TIMEOUT', 'CALL_ENDED'] as const;
export type AmdResultClass = (typeof AMD_RESULT_CLASSES)[number];

/**
 * An answered call, by the detector's verdict. No verdict before the timeout counts as a person
 * (the message is played anyway); a pick-up that hung up during detection is retried.
 */
export function outcomeForAmd(resultClass: AmdResultClass): CallOutcome {
  switch (resultClass) {
    case 'HUMAN':
    case 'TIMEOUT':
      return 'answered';
    case 'VOICEMAIL':
      return 'machine';
    case 'CALL_ENDED':
      return 'nodial';
  }
}
