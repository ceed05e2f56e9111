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

  it('passes an unheard message on with the playback error as its detail (issue 14, point 12b)', () => {
    const { raw, headers } = signedResult({
      at: NOW,
      body: { outcome: 'unheard', durationSec: 4, failureReason: 'Failed to download file' },
    });
    const verified = verifier().verify(raw, headers);
    expect(verified.ok && verified.event.report).toMatchObject({
      outcome: 'unheard',
      durationSec: 4,
      detail: 'Failed to download file',
    });
  });

  // Issue 14, point 12 (d): VoxEngine documents Crypto.hmac_sha256 as returning "string", not
  // which encoding. The same MAC in hex of either case or in base64 is taken; anything else is not.
  it('takes the MAC in uppercase hex or in base64, and a replay in another encoding is a replay', () => {
    const { raw, headers } = signedResult({ at: NOW });
    const hex = (headers.get('X-Prozvon-Signature') ?? '').slice(3);
    const upper = new Headers(headers);
    upper.set('X-Prozvon-Signature', `v1=${hex.toUpperCase()}`);
    const base64 = new Headers(headers);
    base64.set('X-Prozvon-Signature', `V1=${Buffer.from(hex, 'hex').toString('base64')}`);
    expect(verifier().verify(raw, base64)).toMatchObject({ ok: true });
    const v = verifier();
    const verified = v.verify(raw, upper);
    expect(verified.ok).toBe(true);
    if (verified.ok) v.markDelivered(verified);
    expect(v.verify(raw, base64)).toMatchObject({ ok: false, reason: 'replay' });
    expect(v.verify(raw, headers)).toMatchObject({ ok: false, reason: 'replay' });
    const wrong = new Headers(headers);
    const flipped = Buffer.from(hex, 'hex');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    wrong.set('X-Prozvon-Signature', `v1=${flipped.toString('base64')}`);
    expect(verifier().verify(raw, wrong)).toMatchObject({ ok: false, reason: 'bad_signature' });
    wrong.set('X-Prozvon-Signature', `v1=${Buffer.from(hex, 'hex').toString('base64url').slice(0, 43)}`);
    expect(verifier().verify(raw, wrong)).toMatchObject({ ok: false, reason: 'bad_signature' });
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
