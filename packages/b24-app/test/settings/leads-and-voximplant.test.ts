import { startVoximplantSim, type VoximplantSim } from '@prozvon/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type AppFixture, startAppFixture } from '../app/app-fixture.js';
import { api, type Caller, userToken } from './api-client.js';

describe('settings API: leads and Voximplant', () => {
  let fixture: AppFixture | undefined;
  let vox: VoximplantSim | undefined;
  afterEach(async () => {
    await fixture?.close();
    await vox?.close();
  });

  it('lists and shows a portal’s own leads only; another portal’s lead id is 404', async () => {
    fixture = await startAppFixture({ portals: ['shop', 'other'] });
    const { sim, b24App } = fixture;
    await sim.installApp(b24App.clientId, { portal: 'shop' });
    await sim.installApp(b24App.clientId, { portal: 'other' });
    const a: Caller = {
      token: await userToken(fixture, { portal: 'shop' }),
      memberId: sim.portal('shop').memberId,
    };
    const b: Caller = {
      token: await userToken(fixture, { portal: 'other' }),
      memberId: sim.portal('other').memberId,
    };
    const portal = await fixture.app.portals.getByMemberId(a.memberId);
    const submitted = await fetch(`${fixture.config.publicUrl}/p/${portal?.portalKey}/leads`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${portal?.secrets['intake.secret']}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ name: 'Анна', phone: '89161234567' }),
    });
    const { leadId } = (await submitted.json()) as { leadId: string };
    const listA = await api(fixture, a, 'GET', '/api/portal/leads?limit=10');
    expect(listA.status).toBe(200);
    expect(listA.body.leads.map((lead: { id: string }) => lead.id)).toEqual([leadId]);
    expect(listA.body.next).toBeNull();
    expect((await api(fixture, b, 'GET', '/api/portal/leads')).body.leads).toEqual([]);
    const detail = await api(fixture, a, 'GET', `/api/portal/leads/${leadId}`);
    expect(detail.status).toBe(200);
    expect(detail.body.lead.id).toBe(leadId);
    expect(detail.body.audit.length).toBeGreaterThan(0);
    expect((await api(fixture, b, 'GET', `/api/portal/leads/${leadId}`)).status).toBe(404);
    expect((await api(fixture, b, 'POST', `/api/portal/leads/${leadId}/cancel-calls`)).status).toBe(404);
    expect((await api(fixture, a, 'GET', '/api/portal/leads?cursor=garbage')).status).toBe(400);
  });

  it('connects the portal’s own Voximplant account through the simulator', async () => {
    vox = await startVoximplantSim({});
    fixture = await startAppFixture({ app: { voximplantApiBases: [vox.url] } });
    const { sim, b24App } = fixture;
    await sim.installApp(b24App.clientId);
    const a: Caller = { token: await userToken(fixture), memberId: sim.portal().memberId };
    const body = {
      accountId: vox.serviceKey.accountId,
      keyId: vox.serviceKey.keyId,
      privateKey: vox.serviceKey.privateKey,
      apiBase: vox.url,
    };
    const other = await api(fixture, a, 'POST', '/api/portal/voximplant/connect', {
      ...body,
      apiBase: 'http://10.0.0.1/',
    });
    expect(other.status).toBe(400);
    const connected = await api(fixture, a, 'POST', '/api/portal/voximplant/connect', body);
    expect(connected.status).toBe(200);
    expect(connected.body.changed).toEqual({ application: true, scenario: true, rule: true });
    expect(connected.text).not.toContain('PRIVATE KEY');
    const stored = await fixture.app.portals.getByMemberId(a.memberId);
    expect(stored?.settings.providers.voximplant).toMatchObject({
      accountId: body.accountId,
      ruleId: connected.body.voximplant.ruleId,
    });
    expect(stored?.secrets['voximplant.privateKey']).toBe(body.privateKey);
    const shown = await api(fixture, a, 'GET', '/api/portal/settings');
    expect(shown.body.secrets.voximplant.source).toBe('portal');
    expect(shown.text).not.toContain('PRIVATE KEY');
  });
});
