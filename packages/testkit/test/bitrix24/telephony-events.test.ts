import { describe, expect, it } from 'vitest';
import { post, startSim } from './helpers.js';
import { startReceiver } from './receiver.js';

async function telephonyApp(options: { finish?: boolean } = {}) {
  const receiver = await startReceiver();
  const sim = await startSim();
  const app = sim.registerApp({ scope: ['crm', 'telephony'] });
  const other = sim.registerApp({ scope: ['crm', 'telephony'] });
  const { auth } = await sim.installApp(app.clientId, options);
  const { auth: otherAuth } = await sim.installApp(other.clientId);
  const bind = async (token: string, event: string, path: string) =>
    (await post(`${sim.url}/rest/`, 'event.bind', { event, handler: `${receiver.url}${path}`, auth: token }))
      .body.result;
  return { sim, app, other, receiver, bind, auth, otherAuth };
}

// api-reference/telephony/events/on-external-call-back-start.md: "triggered when a visitor fills out
// the CRM callback form … your application must be selected as the line"; fields PHONE_NUMBER,
// TEXT, VOICE, CRM_ENTITY_TYPE, CRM_ENTITY_ID, LINE_NUMBER; nothing before the install completes.
describe('telephony events (BITRIX24.md §5)', () => {
  it('delivers OnExternalCallBackStart for a callback form to the chosen app only', async () => {
    const { sim, app, receiver, bind, auth, otherAuth } = await telephonyApp();
    expect(await bind(auth.access_token ?? '', 'OnExternalCallBackStart', '/callback')).toBe(true);
    expect(await bind(otherAuth.access_token ?? '', 'OnExternalCallBackStart', '/other')).toBe(true);
    const { leadId } = sim.requestCallback({
      clientId: app.clientId,
      phone: '+7 999 123-45-67',
      lineNumber: 'PZ1',
      text: 'Здравствуйте',
      voice: 'ruinternalfemale',
    });
    await sim.idle();
    expect(receiver.received.map((r) => r.path)).toEqual(['/callback']);
    expect(receiver.received[0]?.body).toMatchObject({
      event: 'ONEXTERNALCALLBACKSTART',
      data: {
        PHONE_NUMBER: '+7 999 123-45-67',
        TEXT: 'Здравствуйте',
        VOICE: 'ruinternalfemale',
        CRM_ENTITY_TYPE: 'LEAD',
        CRM_ENTITY_ID: String(leadId),
        LINE_NUMBER: 'PZ1',
      },
    });
    expect(receiver.received[0]?.body.auth).not.toHaveProperty('access_token');
    expect(sim.state.leads()[0]).toMatchObject({
      ID: String(leadId),
      PHONE: [{ VALUE: '+7 999 123-45-67' }],
    });
  });

  it('sends no OnExternalCallBackStart before installFinish', async () => {
    const { sim, app, receiver, bind, auth } = await telephonyApp({ finish: false });
    await bind(auth.access_token ?? '', 'ONEXTERNALCALLBACKSTART', '/callback');
    sim.requestCallback({ clientId: app.clientId, phone: '79991234567', lineNumber: 'PZ1' });
    await sim.idle();
    expect(receiver.received.map((r) => r.path)).not.toContain('/callback');
  });

  // api-reference/telephony/events/on-external-call-start.md: USER_ID, PHONE_NUMBER,
  // CRM_ENTITY_TYPE, CRM_ENTITY_ID, CALL_LIST_ID, LINE_NUMBER, CALL_ID (from register), IS_MOBILE.
  it('delivers OnExternalCallStart with a registered CALL_ID when a user clicks a number', async () => {
    const { sim, app, receiver, bind, auth } = await telephonyApp();
    await bind(auth.access_token ?? '', 'ONEXTERNALCALLSTART', '/click');
    const leadId = sim.portal().seedLead({ TITLE: 'Order', PHONE: [{ VALUE: '79991234567' }] });
    const { callId } = sim.clickToCall({
      clientId: app.clientId,
      phone: '79991234567',
      entityType: 'LEAD',
      entityId: leadId,
      lineNumber: 'PZ1',
    });
    await sim.idle();
    expect(receiver.received[0]?.body).toMatchObject({
      event: 'ONEXTERNALCALLSTART',
      data: {
        USER_ID: '1',
        PHONE_NUMBER: '79991234567',
        CRM_ENTITY_TYPE: 'LEAD',
        CRM_ENTITY_ID: String(leadId),
        LINE_NUMBER: 'PZ1',
        CALL_ID: callId,
      },
      auth: { access_token: expect.any(String) },
    });
    expect(sim.portal().calls.get(callId)).toMatchObject({ type: 1, clientId: app.clientId });
  });
});
