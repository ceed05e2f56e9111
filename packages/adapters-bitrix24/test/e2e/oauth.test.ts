import { AuthError, type CallRecord } from '@prozvon/sdk';
import { ManualClock } from '@prozvon/testkit';
import { describe, expect, it } from 'vitest';
import { createBitrix24Crm, type RefreshedTokens } from '../../src/index.js';
import { installApp, leadRequest, recordings, startSim } from './helpers.js';

const call = (overrides: Partial<CallRecord> = {}): CallRecord => ({
  key: 'lead:1:call:1',
  attempt: 1,
  phone: '+79161234567',
  outcome: 'answered',
  startedAt: Date.UTC(2026, 10, 25, 9, 31),
  durationSec: 42,
  ...overrides,
});

// The Bitrix24 app runs on the install's OAuth tokens: real call entries on the card, and tokens
// that expire, rotate and can be revoked.
describe('Bitrix24 CRM over OAuth, against the simulator', () => {
  it('writes a real call entry per outcome, with status code, duration and recording', async () => {
    const sim = await startSim();
    const { auth } = await installApp(sim);
    const crm = createBitrix24Crm({ auth });
    const { id } = await crm.createLead(leadRequest());

    await crm.recordCall(id, call({ recordingUrl: recordings.url('1.mp3') }));
    await crm.recordCall(id, call({ key: 'lead:1:call:2', attempt: 2, outcome: 'machine', durationSec: 20 }));
    await crm.recordCall(
      id,
      call({ key: 'lead:1:call:3', attempt: 3, outcome: 'nodial', durationSec: 0, failureCode: 486 }),
    );
    await crm.recordCall(id, call({ key: 'lead:1:call:4', attempt: 4, outcome: 'nodial', durationSec: 0 }));
    await crm.recordCall(
      id,
      call({ key: 'lead:1:call:5', attempt: 5, outcome: 'invalid', durationSec: 0, failureCode: 404 }),
    );

    const calls = sim.state.calls();
    expect(calls.map((c) => [c.externalCallId, c.finished?.statusCode, c.finished?.duration])).toEqual([
      ['lead:1:call:1', '200', 42],
      ['lead:1:call:2', 'OTHER', 20],
      ['lead:1:call:3', '486', 0],
      ['lead:1:call:4', '304', 0],
      ['lead:1:call:5', '404', 0],
    ]);
    // Five distinct calls to one number within 30 minutes: each attempt its own CALL_ID.
    expect(new Set(calls.map((c) => c.callId)).size).toBe(5);
    expect(calls[0]?.record?.url).toBe(recordings.url('1.mp3'));
    // The recording was really fetched by the portal (telephony-external-call-attach-record.md).
    expect(calls[0]?.record?.size).toBeGreaterThan(0);
    // CRM_CREATE 0, SHOW 0, ADD_TO_CHAT 0 (telephony-external-call-register.md: CRM_CREATE=1 would
    // add a lead when the number matched nothing; SHOW and ADD_TO_CHAT default to 1).
    expect(calls.map((c) => [c.createdLead, c.show, c.addToChat])).toEqual(
      Array.from({ length: 5 }, () => [null, false, false]),
    );
    expect(sim.state.leads()).toHaveLength(1);
    expect(calls[1]?.finished?.failedReason).toBe('автоответчик');
    expect(sim.state.activities().map((a) => [a.ownerType, String(a.ownerId)])).toEqual(
      Array.from({ length: 5 }, () => ['LEAD', id]),
    );
    expect(sim.state.comments()).toEqual([]);
  });

  it('marks no answer: stage and description of a lead in progress, a timeline note on every lead', async () => {
    const sim = await startSim();
    const { auth } = await installApp(sim);
    // The shop's own stage for "no answer" (Bitrix24 has none built in).
    const added = await fetch(`${sim.webhookUrl()}crm.status.add`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        fields: { ENTITY_ID: 'STATUS', STATUS_ID: 'PZ_NOANSWER', NAME: 'Нет ответа', SORT: 25 },
      }),
    });
    expect(added.status).toBe(200);
    const crm = createBitrix24Crm({ auth, calls: { noAnswerStatusId: 'PZ_NOANSWER' } });
    const { id } = await crm.createLead(leadRequest());
    await crm.markNoAnswer(id, call({ outcome: 'nodial', durationSec: 0 }));
    expect(sim.state.leads()[0]).toMatchObject({
      STATUS_ID: 'PZ_NOANSWER',
      STATUS_DESCRIPTION: 'Нет ответа, попытка 1',
    });
    // A lead a seller has converted since keeps its stage; the note is still added.
    const won = await crm.createLead(leadRequest());
    sim
      .portal()
      .leads.update(Number(won.id), { STATUS_ID: 'CONVERTED' }, sim.portal().writeContext(1, Date.now()));
    await crm.markNoAnswer(won.id, call({ key: 'lead:2:call:1', outcome: 'nodial', durationSec: 0 }));
    expect(sim.state.leads()[1]).toMatchObject({ STATUS_ID: 'CONVERTED', STATUS_SEMANTIC_ID: 'S' });
    expect(sim.state.comments()).toHaveLength(2);
    expect(sim.state.comments().slice(0, 1)).toEqual([
      expect.objectContaining({
        entityType: 'lead',
        entityId: Number(id),
        comment: expect.stringContaining('[prozvon:lead:1:call:1]'),
      }),
    ]);
  });

  it('refreshes an expired token by itself, hands over the rotated pair, and keeps working', async () => {
    const clock = new ManualClock();
    const sim = await startSim({ clock });
    const { auth } = await installApp(sim);
    const refreshed: RefreshedTokens[] = [];
    const crm = createBitrix24Crm({ auth: { ...auth, onTokensRefreshed: (t) => void refreshed.push(t) } });
    await crm.createLead(leadRequest());
    // Only the portal's clock moves: the SDK learns of the expiry from the 401 expired_token.
    clock.advance(3_600_000);
    const ref = await crm.createLead(leadRequest());
    expect(ref.id).toBe(sim.state.leads()[1]?.ID);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]?.refreshToken).not.toBe(auth.tokens.refreshToken);
    expect(refreshed[0]?.memberId).toBe(auth.tokens.memberId);
  });

  it('turns a revoked refresh token into AuthError', async () => {
    const clock = new ManualClock();
    const sim = await startSim({ clock });
    const { auth, app } = await installApp(sim);
    // Another instance used the one-time refresh token first.
    const used = await fetch(`${sim.url}/oauth/token/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        refresh_token: auth.tokens.refreshToken,
      }),
    });
    expect(used.status).toBe(200);
    clock.advance(3_600_000);
    const crm = createBitrix24Crm({ auth });
    const error = await crm.findPartner('p-42').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain('refresh');
  });

  it('turns the tokens of an uninstalled app into AuthError, without a second lead', async () => {
    const sim = await startSim();
    const { auth, app } = await installApp(sim);
    const crm = createBitrix24Crm({ auth });
    const request = leadRequest();
    await crm.createLead(request);
    await sim.uninstallApp(app.clientId);
    await expect(crm.createLead(request)).rejects.toBeInstanceOf(AuthError);
    await expect(crm.recordCall('1', call())).rejects.toBeInstanceOf(AuthError);
    expect(sim.state.leads()).toHaveLength(1);
  });
});
