import { afterEach, describe, expect, it } from 'vitest';
import { type AppFixture, startAppFixture } from '../app/app-fixture.js';
import { eventually, submitIntake } from '../app/app-requests.js';
import { api, type Caller, userToken } from './api-client.js';

// The lead-card tab knows only the CRM lead's ID: GET /api/portal/crm-leads/:id names the Prozvon
// lead behind it — one Prozvon created (ORIGIN_ID on the CRM lead) or adopted (a form's lead) —
// or says Prozvon never handled it and whether its settings would.

describe('settings API: the Prozvon lead behind a CRM lead', () => {
  let fixture: AppFixture | undefined;
  afterEach(async () => fixture?.close());

  it('finds created and adopted leads, and explains a lead it never handled', async () => {
    fixture = await startAppFixture({ calls: true, portals: ['shop', 'other'] });
    const f = fixture;
    await f.sim.installApp(f.b24App.clientId, { portal: 'shop' });
    await f.sim.installApp(f.b24App.clientId, { portal: 'other' });
    const memberId = f.sim.portal('shop').memberId;
    const caller: Caller = { token: await userToken(f, { portal: 'shop' }), memberId };
    const stranger: Caller = {
      token: await userToken(f, { portal: 'other' }),
      memberId: f.sim.portal('other').memberId,
    };
    const portal = await f.app.portals.getByMemberId(memberId);

    // Created by Prozvon from the intake URL.
    const submitted = await submitIntake(f, portal?.portalKey ?? '', portal?.secrets['intake.secret'] ?? '', {
      name: 'Вера',
      phone: '+7 916 000-00-05',
    });
    const createdCrmId = await eventually(
      async () => {
        const lead = await f.app.host.getLead(memberId, submitted.body.leadId ?? '');
        return (lead?.snapshot as { context?: { crmLeadId?: string } } | undefined)?.context?.crmLeadId ?? '';
      },
      (id) => id !== '',
      'the intake lead in the CRM',
    );
    const created = await api(f, caller, 'GET', `/api/portal/crm-leads/${createdCrmId}`);
    expect(created.body).toEqual({ crmLeadId: createdCrmId, handled: true, leadId: submitted.body.leadId });

    // Adopted from a Bitrix24 web form.
    const formCrmId = f.sim.addFormLead(
      { NAME: 'Анна', PHONE: [{ VALUE: '+7 916 000-00-01', VALUE_TYPE: 'WORK' }], SOURCE_ID: 'WEBFORM' },
      'shop',
    );
    const adoptedId = await eventually(
      () => api(f, caller, 'GET', `/api/portal/crm-leads/${formCrmId}`),
      (answer) => answer.body?.handled === true,
      'the form lead adopted',
    );
    expect(adoptedId.body.leadId).toEqual(expect.any(String));
    expect((await f.app.host.getLead(memberId, adoptedId.body.leadId))?.id).toBe(adoptedId.body.leadId);

    // Only CALLBACK leads are called from now on: a web-form lead is left alone, and the tab says why.
    expect(
      (
        await api(
          f,
          caller,
          'PUT',
          '/api/portal/settings',
          {
            providers: { crm: { callSources: ['CALLBACK'] } },
          },
          { 'if-match': '*' },
        )
      ).status,
    ).toBe(200);
    const leftId = f.sim.addFormLead(
      { NAME: 'Борис', PHONE: [{ VALUE: '+7 916 000-00-02', VALUE_TYPE: 'WORK' }], SOURCE_ID: 'WEBFORM' },
      'shop',
    );
    await f.sim.idle();
    await f.app.idle();
    const left = await api(f, caller, 'GET', `/api/portal/crm-leads/${leftId}`);
    expect(left.body).toEqual({
      crmLeadId: String(leftId),
      handled: false,
      source: 'WEBFORM',
      hasPhone: true,
      wouldCall: false,
      callSources: ['CALLBACK'],
    });

    expect((await api(f, caller, 'GET', '/api/portal/crm-leads/999999')).status).toBe(404);
    expect((await api(f, caller, 'GET', '/api/portal/crm-leads/12ab')).status).toBe(400);
    // Another portal's user never learns of this portal's lead.
    const foreign = await api(f, stranger, 'GET', `/api/portal/crm-leads/${formCrmId}`);
    expect(foreign.body?.handled).not.toBe(true);
  });
});
