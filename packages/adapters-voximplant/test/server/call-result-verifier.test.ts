import { describe, expect, it } from 'vitest';
import { createCallResultVerifier } from '../../src/server/call-result-verifier.js';
import { TEST_SECRET } from '../helpers/shop-server.js';
import { signedResult } from '../helpers/signed-result.js';

const NOW = 1_764_072_000_000;
const verifier = () => createCallResultVerifier({ secret: TEST_SECRET, now: () => NOW });

describe('the call result verifier', () => {
  it('turns a good result into the engine event', () => {
    const { raw, headers } = signedResult({ at: NOW - 2_000 });
    expect(verifier().verify(raw, headers)).toMatchObject({
      ok: true,
      leadId: 'L7',
      event: {
        type: 'CALL_RESULT',
        at: NOW,
        attempt: 1,
        report: { key: 'lead:L7:dial:1', outcome: 'answered', durationSec: 12, amd: 'human' },
      },
    });
  });

  it('carries the failure code and leaves out what is not there', () => {
    const { raw, headers } = signedResult({
      at: NOW,
      body: { outcome: 'nodial', amd: null, durationSec: 0, failureCode: 486, failureReason: 'Busy Here' },
    });
    const verified = verifier().verify(raw, headers);
    expect(verified.ok && verified.event.report).toEqual({
      key: 'lead:L7:dial:1',
      outcome: 'nodial',
      durationSec: 0,
      failureCode: 486,
    });
  });

  it("passes a refusal on with the platform's reason as its detail (issue 13, defect 12)", () => {
    const { raw, headers } = signedResult({
      at: NOW,
      body: {
        outcome: 'refused',
        amd: null,
        durationSec: 0,
        failureCode: 402,
        failureReason: 'Insufficient funds',
      },
    });
    const verified = verifier().verify(raw, headers);
    expect(verified.ok && verified.event.report).toEqual({
      key: 'lead:L7:dial:1',
      outcome: 'refused',
      durationSec: 0,
      failureCode: 402,
      detail: 'Insufficient funds',
    });
  });

  it('bounds a long refusal reason, and gives none when the platform gave none', () => {
    const long = signedResult({
      at: NOW,
      body: {
        outcome: 'refused',
        amd: null,
        durationSec: 0,
        failureCode: 403,
        failureReason: 'x'.repeat(5_000),
      },
    });
    const verified = verifier().verify(long.raw, long.headers);
    expect(verified.ok && verified.event.report.detail?.length).toBe(200);
    const bare = signedResult({
      at: NOW,
      body: { outcome: 'refused', amd: null, durationSec: 0, failureCode: 403, failureReason: null },
    });
    const plain = verifier().verify(bare.raw, bare.headers);
    expect(plain.ok && plain.event.report).not.toHaveProperty('detail');
  });

  it('refuses a body changed after signing', () => {
    const { raw, headers } = signedResult({ at: NOW });
    const tampered = raw.replace('"answered"', '"machine"');
    expect(verifier().verify(tampered, headers)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a result signed with another server secret', () => {
    const { raw, headers } = signedResult({ at: NOW, secret: 'another-secret-0123456789-abcdefghijk' });
    expect(verifier().verify(raw, headers)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it("refuses a result moved to another lead, even re-signed with that call's own key", () => {
    // The key of call A signs a body naming lead B: the signing key no longer matches.
    const { raw, headers } = signedResult({ at: NOW, body: { leadId: 'L8' } });
    const original = signedResult({ at: NOW });
    headers.set('X-Prozvon-Signature', original.headers.get('X-Prozvon-Signature') ?? '');
    expect(verifier().verify(raw, headers)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('refuses an engine key that does not belong to the call reference', () => {
    const { raw } = signedResult({ at: NOW, body: { key: 'lead:L7:dial:1' } });
    const body = JSON.parse(raw);
    body.key = 'lead:L7:dial:2';
    // Re-signed properly for the same callId/lead/attempt: only the key binding can catch it.
    const { raw: moved, headers: movedHeaders } = signedResult({ at: NOW, body });
    movedHeaders.set('X-Prozvon-Call', body.callId);
    expect(verifier().verify(moved, movedHeaders)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it.each([
    ['5 minutes and 1 second old', NOW - 301_000],
    ['from 6 minutes in the future', NOW + 360_000],
  ])('refuses a timestamp %s', (_label, at) => {
    const { raw, headers } = signedResult({ at });
    expect(verifier().verify(raw, headers)).toMatchObject({ ok: false, reason: 'stale' });
  });

  it('accepts a timestamp just inside five minutes', () => {
    const { raw, headers } = signedResult({ at: NOW - 299_000 });
    expect(verifier().verify(raw, headers).ok).toBe(true);
  });

  it('refuses a replay of a delivered result, not one that was never delivered', () => {
    const v = verifier();
    const { raw, headers } = signedResult({ at: NOW });
    const first = v.verify(raw, headers);
    expect(v.verify(raw, headers).ok).toBe(true);
    if (!first.ok) throw new Error('first should verify');
    v.markDelivered(first);
    expect(v.verify(raw, headers)).toMatchObject({ ok: false, reason: 'replay' });
  });

  it.each([
    ['no signature header', (h: Headers) => h.delete('X-Prozvon-Signature')],
    ['no timestamp header', (h: Headers) => h.delete('X-Prozvon-Timestamp')],
    ['a timestamp in ms', (h: Headers) => h.set('X-Prozvon-Timestamp', '1764072000000.5')],
    ['a call header naming another call', (h: Headers) => h.set('X-Prozvon-Call', 'x'.repeat(22))],
  ])('refuses %s as malformed', (_label, change) => {
    const { raw, headers } = signedResult({ at: NOW });
    change(headers);
    expect(verifier().verify(raw, headers)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('refuses a signed body that breaks the schema as malformed', () => {
    const { raw, headers } = signedResult({ at: NOW, body: { outcome: 'exploded' as 'answered' } });
    expect(verifier().verify(raw, headers)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('refuses a body that is not JSON', () => {
    const { headers } = signedResult({ at: NOW });
    expect(verifier().verify('not json', headers)).toMatchObject({ ok: false, reason: 'malformed' });
  });
});
