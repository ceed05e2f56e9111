import { describe, expect, it } from 'vitest';
import { post, startSim } from './helpers.js';

describe('partner look-ups, directories, timeline, users (BITRIX24.md §4.3–4.6, §6)', () => {
  it('finds a seeded partner company by its UF referral code', async () => {
    const sim = await startSim();
    const portal = sim.portal();
    portal.seedCompany({ TITLE: 'Partner A', UF_CRM_PROZVON_REF: 'p-42', ASSIGNED_BY_ID: 1 });
    portal.seedCompany({ TITLE: 'Partner B', UF_CRM_PROZVON_REF: 'p-43' });
    const { body } = await post(sim.webhookUrl(), 'crm.company.list', {
      filter: { '=UF_CRM_PROZVON_REF': 'p-42' },
      select: ['ID', 'TITLE', 'ASSIGNED_BY_ID', 'UF_CRM_PROZVON_REF'],
    });
    expect(body.result).toEqual([
      { ID: '1', TITLE: 'Partner A', ASSIGNED_BY_ID: '1', UF_CRM_PROZVON_REF: 'p-42' },
    ]);
    expect(body.total).toBe(1);
    const none = await post(sim.webhookUrl(), 'crm.company.list', {
      filter: { '=UF_CRM_PROZVON_REF': 'p-99' },
    });
    expect(none.body).toMatchObject({ result: [], total: 0 });
  });

  it('lists contacts with the same rules', async () => {
    const sim = await startSim();
    sim
      .portal()
      .seedContact({ NAME: 'Olga', UF_CRM_PROZVON_REF: 'ref-1', PHONE: [{ VALUE: '+79990001122' }] });
    const { body } = await post(sim.webhookUrl(), 'crm.contact.list', {
      filter: { UF_CRM_PROZVON_REF: 'ref-1' },
      select: ['ID', 'NAME', 'PHONE'],
    });
    expect(body.result).toEqual([
      {
        ID: '1',
        NAME: 'Olga',
        PHONE: [expect.objectContaining({ VALUE: '+79990001122', TYPE_ID: 'PHONE' })],
      },
    ]);
  });

  it('lists smart-process items with camelCase fields and numbers, under result.items', async () => {
    const sim = await startSim();
    const portal = sim.portal();
    portal.seedItem(1030, { title: 'Partner X', ufCrm5_Ref: 'p-7' });
    portal.seedItem(1030, { title: 'Partner Y', ufCrm5_Ref: 'p-8' });
    const { body } = await post(sim.webhookUrl(), 'crm.item.list', {
      entityTypeId: 1030,
      filter: { ufCrm5_Ref: 'p-8' },
      select: ['id', 'title', 'assignedById'],
    });
    expect(body.result).toEqual({ items: [{ id: 2, title: 'Partner Y', assignedById: 1 }] });
    expect(sim.state.items(1030)).toHaveLength(2);
    expect(body.total).toBe(1);
    const unknown = await post(sim.webhookUrl(), 'crm.item.list', { entityTypeId: 999 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe('NOT_FOUND');
  });

  it('lists lead stages with crm.status.list and adds a "no answer" stage once', async () => {
    const sim = await startSim();
    const hook = sim.webhookUrl();
    const stages = await post(hook, 'crm.status.list', {
      filter: { ENTITY_ID: 'STATUS' },
      order: { SORT: 'ASC' },
    });
    expect(stages.body.result.map((s: { STATUS_ID: string }) => s.STATUS_ID)).toEqual([
      'NEW',
      'IN_PROCESS',
      'PROCESSED',
      'CONVERTED',
      'JUNK',
    ]);
    expect(stages.body.result[3]).toMatchObject({ SEMANTICS: 'S', EXTRA: { SEMANTICS: 'success' } });
    const fields = { ENTITY_ID: 'STATUS', STATUS_ID: 'PZ_NOANSWER', NAME: 'Нет ответа', SORT: 25 };
    expect((await post(hook, 'crm.status.add', { fields })).status).toBe(200);
    expect(await post(hook, 'crm.status.add', { fields })).toEqual({
      status: 400,
      body: { error: 'ERROR_CORE', error_description: 'The specified status ID already exists.' },
    });
  });

  it('adds timeline comments to a lead, with the documented errors', async () => {
    const sim = await startSim();
    const hook = sim.webhookUrl();
    await post(hook, 'crm.lead.add', { fields: { TITLE: 'L' } });
    const ok = await post(hook, 'crm.timeline.comment.add', {
      fields: { ENTITY_ID: 1, ENTITY_TYPE: 'lead', COMMENT: 'Call: answered, 42 s' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.result).toBeTypeOf('number');
    expect(sim.state.comments()).toEqual([
      expect.objectContaining({
        id: ok.body.result,
        entityType: 'lead',
        entityId: 1,
        comment: 'Call: answered, 42 s',
      }),
    ]);
    const noOwner = await post(hook, 'crm.timeline.comment.add', {
      fields: { ENTITY_ID: 7, ENTITY_TYPE: 'lead', COMMENT: 'x' },
    });
    expect(noOwner.body.error).toBe('OWNER_NOT_FOUND');
    const empty = await post(hook, 'crm.timeline.comment.add', {
      fields: { ENTITY_ID: 1, ENTITY_TYPE: 'lead', COMMENT: '' },
    });
    expect(empty.body.error).toBe('INVALID_ARG_VALUE');
    const upperKey = await post(hook, 'crm.timeline.comment.add', {
      FIELDS: { ENTITY_ID: 1, ENTITY_TYPE: 'lead', COMMENT: 'x' },
    });
    expect(upperKey.status).toBe(400);
  });

  it('answers user.current and profile for the webhook user; scopes are enforced', async () => {
    const sim = await startSim({
      portals: [
        {
          users: [
            { id: 1, name: 'Anna' },
            { id: 7, admin: false },
          ],
          webhooks: [{ userId: 7, scopes: ['user'] }],
        },
      ],
    });
    const hook = sim.webhookUrl(undefined, 7);
    const current = await post(hook, 'user.current');
    expect(current.body.result).toMatchObject({ ID: '7', ACTIVE: true, UF_DEPARTMENT: [1] });
    expect((await post(hook, 'profile')).body.result).toMatchObject({ ID: '7', ADMIN: false });
    const denied = await post(hook, 'crm.lead.list');
    expect(denied).toMatchObject({ status: 403, body: { error: 'insufficient_scope' } });
  });
});
