import { describe, expect, it } from 'vitest';
import { crmLeadIdOf, type LeadDetail } from '../src/lead-tab/lead-detail.js';
import { timelineOf } from '../src/lead-tab/timeline.js';

const lead: LeadDetail['lead'] = {
  id: 'L1',
  crmState: 'crm.created',
  callState: 'call.machine',
  finished: false,
  submittedAt: 1_000,
  updatedAt: 5_000,
  wakeAt: null,
  name: 'Анна',
  phone: '+79160000001',
  crmLeadId: '7',
  attempt: 1,
  manualReason: null,
};

describe('the lead’s timeline', () => {
  it('shows arrival, state changes, calls with outcome and recording, SMS texts and actions, newest first', () => {
    const entries = timelineOf({
      lead,
      facts: { outcome: 'machine', machinePersonAt: 7_000, machinePersonBy: 'b24user:3' },
      audit: [
        { id: 1, at: 1_000, type: 'event', key: null, detail: { event: 'SUBMITTED' } },
        {
          id: 2,
          at: 1_000,
          type: 'transition',
          key: null,
          detail: { to: { crmState: 'crm.creating', callState: 'call.dialing' } },
        },
        {
          id: 3,
          at: 4_000,
          type: 'transition',
          key: null,
          detail: {
            from: { crmState: 'crm.created', callState: 'call.awaitingResult' },
            to: { crmState: 'crm.created', callState: 'call.machine' },
          },
        },
        { id: 4, at: 6_000, type: 'event', key: 'x', detail: { event: 'CANCEL_CALLS', by: 'b24user:1' } },
        {
          id: 6,
          at: 7_000,
          type: 'event',
          key: null,
          detail: { event: 'MACHINE_WAS_PERSON', by: 'b24user:3' },
        },
        { id: 5, at: 2_000, type: 'effect', key: 'k', detail: { queued: 'dial' } },
      ],
      effects: [
        {
          id: 1,
          kind: 'recordCall',
          status: 'done',
          attempts: 1,
          createdAt: 4_000,
          finishedAt: 4_500,
          result: null,
          about: { attempt: 1, outcome: 'machine', durationSec: 12, recordingUrl: 'https://rec/1.mp3' },
        },
        {
          id: 2,
          kind: 'sendSms',
          status: 'failed',
          attempts: 1,
          createdAt: 4_000,
          finishedAt: 4_600,
          result: { message: 'no money on the account' },
          about: { kind: 'machine', text: 'Мы звонили' },
        },
      ],
    });
    expect(entries.map((e) => e.title)).toEqual([
      'Marked: a person answered, not a machine',
      'Calling stopped',
      'SMS (machine) failed',
      'Call 1: an answering machine took the call',
      'Now: answering machine',
      'Now: being added to the CRM, dialling',
      'Lead received',
    ]);
    expect(entries.map((e) => e.kind)).toEqual(['action', 'action', 'sms', 'call', 'state', 'state', 'lead']);
    expect(entries[2]?.description).toBe('“Мы звонили” — no money on the account');
    expect(entries[3]).toMatchObject({
      tone: 'warning',
      link: { href: 'https://rec/1.mp3' },
      description: 'Lasted 12 s',
    });
    expect(entries[0]?.description).toBe('by user 3');
    expect(entries[1]?.description).toBe('by user 1');
  });
  it('shows an unanswered call once (its CRM "no answer" mark is not a second call), notices in words', () => {
    const record = { attempt: 1, outcome: 'nodial', durationSec: 0, recordingUrl: null };
    const effect = { status: 'done', attempts: 1, createdAt: 2_000, finishedAt: 3_000, result: null };
    const entries = timelineOf({
      lead: { ...lead, callState: 'call.nodial' },
      facts: null,
      audit: [],
      effects: [
        { id: 1, kind: 'recordCall', ...effect, about: record },
        { id: 2, kind: 'markNoAnswer', ...effect, about: record },
        {
          id: 3,
          kind: 'notify',
          ...effect,
          status: 'failed',
          result: { message: 'no Telegram chat connected' },
          about: { notice: 'callOutcome' },
        },
      ],
    });
    expect(entries.map((e) => [e.title, e.description])).toEqual([
      ['Sellers notified: how the call ended (failed)', 'no Telegram chat connected'],
      ['CRM card marked “no answer”', ''],
      ['Call 1: no answer', ''],
    ]);
  });
});

describe('crmLeadIdOf', () => {
  it('reads the CRM lead ID from the placement options, a number or a string', () => {
    expect(crmLeadIdOf({ ID: '42' })).toBe('42');
    expect(crmLeadIdOf({ ID: 42 })).toBe('42');
    expect(crmLeadIdOf({ ID: '42; DROP' })).toBeNull();
    expect(crmLeadIdOf({})).toBeNull();
  });
});
