import { describe, expect, it } from 'vitest';
import { reportFromHistory } from '../../src/history-report.js';
import { HistorySession } from '../../src/management/call-history.js';

const KEY = 'lead:L1:dial:1';

function session(fields: { finish_reason?: string; calls?: object[] }) {
  return HistorySession.parse({
    call_session_history_id: 42,
    finish_reason: 'Normal termination',
    ...fields,
  });
}
const failedCall = (end_reason: string | null) => ({
  call_id: 1,
  successful: false,
  duration: 0,
  end_reason,
});

// Call history for a call whose result never came: the same outcomes as the scenario's own.
describe('reportFromHistory', () => {
  it('a call that failed for want of money is refused, with the platform reason (issue 13, defect 12)', () => {
    expect(reportFromHistory(KEY, session({ calls: [failedCall('402 Insufficient funds')] }))).toEqual({
      key: KEY,
      outcome: 'refused',
      durationSec: 0,
      failureCode: 402,
      detail: 'Insufficient funds',
    });
  });

  it('a forbidden call is refused, its reason kept', () => {
    expect(reportFromHistory(KEY, session({ calls: [failedCall('403 Caller ID is not allowed')] }))).toEqual({
      key: KEY,
      outcome: 'refused',
      durationSec: 0,
      failureCode: 403,
      detail: 'Caller ID is not allowed',
    });
  });

  it('a refusal in words only (no code in end_reason) is refused', () => {
    expect(reportFromHistory(KEY, session({ calls: [failedCall('Not enough money')] }))).toMatchObject({
      outcome: 'refused',
      detail: 'Not enough money',
    });
  });

  it('a session the platform ended as "Insufficient funds" before any call is refused', () => {
    expect(reportFromHistory(KEY, session({ finish_reason: 'Insufficient funds', calls: [] }))).toEqual({
      key: KEY,
      outcome: 'refused',
      durationSec: 0,
      detail: 'Insufficient funds',
    });
  });

  it('a failed call with no words of its own takes the session\'s "Insufficient funds"', () => {
    const report = reportFromHistory(
      KEY,
      session({ finish_reason: 'Insufficient funds', calls: [failedCall('487 Request Terminated')] }),
    );
    expect(report).toMatchObject({ outcome: 'refused', failureCode: 487, detail: 'Insufficient funds' });
  });

  it.each([
    ['486 Busy Here', 'nodial', 486],
    ['408 Request Timeout', 'nodial', 408],
    ['480 Temporarily Unavailable', 'nodial', 480],
    ['404 Not Found', 'invalid', 404],
    ['484 Address Incomplete', 'invalid', 484],
  ])('"%s" stays %s, with no detail', (endReason, outcome, code) => {
    const report = reportFromHistory(KEY, session({ calls: [failedCall(endReason)] }));
    expect(report).toEqual({ key: KEY, outcome, durationSec: 0, failureCode: code });
  });

  it('a session with no call and a normal end is nodial', () => {
    expect(reportFromHistory(KEY, session({ calls: [] }))).toEqual({
      key: KEY,
      outcome: 'nodial',
      durationSec: 0,
    });
  });

  it('an answered call is answered even if the money ran out during it', () => {
    const report = reportFromHistory(
      KEY,
      session({
        finish_reason: 'Insufficient funds',
        calls: [{ call_id: 1, successful: true, duration: 20 }],
      }),
    );
    expect(report).toMatchObject({ outcome: 'answered', durationSec: 20, amd: 'unknown' });
  });
});
