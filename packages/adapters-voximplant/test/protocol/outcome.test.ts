import { describe, expect, it } from 'vitest';
import { outcomeForFailureCode } from '../../src/protocol/outcome.js';

// Issue 13, defect 12: an account out of money (or not allowed to make the call) is not a
// customer who did not pick up; retrying it pays to fail again.
describe('outcomeForFailureCode', () => {
  it.each([
    [402, 'refused'], // Insufficient funds (CallEvents.Failed in Voximplant's typings)
    [403, 'refused'], // Forbidden: caller id, blocked destination, barred number
  ])('%i → %s', (code, outcome) => {
    expect(outcomeForFailureCode(code)).toBe(outcome);
  });

  it.each([
    [404, 'invalid'],
    [484, 'invalid'],
    [410, 'invalid'],
    [604, 'invalid'],
  ])('a wrong number %i stays %s', (code, outcome) => {
    expect(outcomeForFailureCode(code)).toBe(outcome);
  });

  it.each([408, 480, 486, 487, 603, 500, 503])(
    'busy, unanswered and carrier failures (%i) stay nodial',
    (code) => {
      expect(outcomeForFailureCode(code)).toBe('nodial');
    },
  );
});
