import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/bitrix24/index.js';
import { post, startSim } from './helpers.js';

async function appCaller(clock = new ManualClock()) {
  const sim = await startSim({ clock });
  const app = sim.registerApp();
  const { auth } = await sim.installApp(app.clientId);
  const call = (method: string, params: Record<string, unknown> = {}) =>
    post(`${sim.url}/rest/`, method, { ...params, auth: auth.access_token });
  return { sim, call, clock };
}

const REGISTER = {
  USER_ID: 1,
  PHONE_NUMBER: '+7 916 123-45-67',
  TYPE: 1,
  SHOW: 0,
  EXTERNAL_CALL_ID: 'lead-1-a1',
};

describe('telephony.externalCall.* (BITRIX24.md §5)', () => {
  it('registers a call bound to the lead with that phone and finishes it into a call activity', async () => {
    const { sim, call } = await appCaller();
    await post(sim.webhookUrl(), 'crm.lead.add', { fields: { PHONE: [{ VALUE: '+79161234567' }] } });
    const registered = await call('telephony.externalCall.register', REGISTER);
    expect(registered.status).toBe(200);
    expect(registered.body.result).toEqual({
      CALL_ID: expect.stringMatching(/^externalCall\.[0-9a-f]{32}\.\d+$/),
      CRM_CREATED_LEAD: null,
      CRM_CREATED_ENTITIES: [],
      CRM_ENTITY_TYPE: 'LEAD',
      CRM_ENTITY_ID: 1,
    });
    const callId = registered.body.result.CALL_ID;
    expect(sim.state.activities()).toHaveLength(0); // only finish writes to the card
    const finished = await call('telephony.externalcall.finish', {
      CALL_ID: callId,
      USER_ID: 1,
      DURATION: 42,
    });
    expect(finished.body.result).toMatchObject({
      CALL_ID: callId,
      EXTERNAL_CALL_ID: 'lead-1-a1',
      CALL_DURATION: 42,
      CALL_FAILED_CODE: '200',
      CALL_STATUS: 1,
      CRM_ENTITY_TYPE: 'LEAD',
      CRM_ENTITY_ID: 1,
      CRM_ACTIVITY_ID: expect.any(Number),
    });
    expect(sim.state.activities()).toEqual([
      expect.objectContaining({ ownerType: 'LEAD', ownerId: 1, callId, duration: 42, direction: 2 }),
    ]);
    const missed = await call('telephony.externalCall.register', {
      ...REGISTER,
      EXTERNAL_CALL_ID: 'lead-1-a2',
    });
    const noAnswer = await call('telephony.externalCall.finish', {
      CALL_ID: missed.body.result.CALL_ID,
      USER_ID: 1,
    });
    expect(noAnswer.body.result).toMatchObject({ CALL_FAILED_CODE: '304', CALL_STATUS: 0 });
  });

  it('returns the same CALL_ID for a repeat register within 30 minutes, a new one after', async () => {
    const { call, clock } = await appCaller();
    const first = (await call('telephony.externalCall.register', REGISTER)).body.result.CALL_ID;
    clock.advance(29 * 60_000);
    expect((await call('telephony.externalCall.register', REGISTER)).body.result.CALL_ID).toBe(first);
    clock.advance(60_000);
    expect((await call('telephony.externalCall.register', REGISTER)).body.result.CALL_ID).not.toBe(first);
  });

  it('answers the documented ERROR_CORE texts', async () => {
    const { call } = await appCaller();
    const cases: [Record<string, unknown>, string][] = [
      [{ ...REGISTER, USER_ID: undefined }, 'USER_ID or USER_PHONE_INNER should be set.'],
      [{ ...REGISTER, USER_ID: 99 }, 'User is not found or is not active.'],
      [{ ...REGISTER, TYPE: 9 }, 'Unknown TYPE.'],
      [{ ...REGISTER, CALL_START_DATE: 'yesterday' }, 'CALL_START_DATE should be in the ISO-8601 format.'],
    ];
    for (const [params, text] of cases) {
      expect((await call('telephony.externalCall.register', params)).body).toEqual({
        error: 'ERROR_CORE',
        error_description: text,
      });
    }
    const unknown = await call('telephony.externalCall.finish', { CALL_ID: 'externalCall.x.1', USER_ID: 1 });
    expect(unknown.body.error_description).toBe(
      'Call is not found (call should be registered prior to finishing)',
    );
    expect((await call('telephony.externalCall.finish', { USER_ID: 1 })).body.error).toBe('INVALID_ARGUMENT');
  });

  it('attaches a record only after finish', async () => {
    const { sim, call } = await appCaller();
    const callId = (await call('telephony.externalCall.register', REGISTER)).body.result.CALL_ID;
    const early = await call('telephony.externalCall.attachRecord', {
      CALL_ID: callId,
      RECORD_URL: 'https://x/r.mp3',
    });
    expect(early.body.error_description).toMatch(/not finished yet/);
    await call('telephony.externalCall.finish', { CALL_ID: callId, USER_ID: 1, DURATION: 5 });
    const bad = await call('telephony.externalCall.attachRecord', {
      CALL_ID: callId,
      FILENAME: 'r.ogg',
      FILE_CONTENT: 'AA==',
    });
    expect(bad.body.error_description).toBe('Wrong file extension. Only wav and mp3 are allowed');
    const ok = await call('telephony.externalCall.attachRecord', {
      CALL_ID: callId,
      FILENAME: 'r.mp3',
      FILE_CONTENT: 'AA==',
    });
    expect(ok.body.result).toEqual({ FILE_ID: expect.any(Number) });
    expect(sim.state.calls()[0]?.record).toMatchObject({ fileName: 'r.mp3' });
  });
});
