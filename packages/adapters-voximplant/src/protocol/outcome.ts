import type { CallOutcome } from '@prozvon/sdk';

/**
 * How a call's ending becomes one of the engine's four outcomes (VOXIMPLANT.md, "Mapping to
 * Prozvon outcomes"). This is the one TypeScript copy; the VoxEngine scenario carries its own
 * (it cannot import), and test/protocol/scenario-mapping.test.ts checks the two agree code by code.
 */

/**
 * SIP codes that mean the number itself is wrong: 404 not found, 484 address incomplete, 604 does
 * not exist anywhere, 410 gone (410 is RFC 3261; whether Voximplant emits it is unverified).
 */
export const INVALID_NUMBER_CODES: readonly number[] = [404, 410, 484, 604];

/**
 * A call that failed before it was answered. Everything that is not a wrong number is worth another
 * try later: busy (486), no answer (408), switched off (480), declined (603), carrier errors (5xx).
 * 402 (our account out of money) and 403 (caller id refused) are not the customer's fault either;
 * the port has no "error" outcome, so they count as `nodial` with the code kept for the sellers,
 * and the retry limit ends them in `manual`.
 */
export function outcomeForFailureCode(code: number): Extract<CallOutcome, 'nodial' | 'invalid'> {
  return INVALID_NUMBER_CODES.includes(code) ? 'invalid' : 'nodial';
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
