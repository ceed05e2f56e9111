import { describe, expect, it } from 'vitest';
import { post, startSim } from './helpers.js';

describe('custom fields, duplicates, log messages, to-dos (BITRIX24.md §4.2, §4.5, §4.6)', () => {
  it('creates UF_CRM_ fields, lists them by name and refuses a second one', async () => {
    const sim = await startSim();
    const hook = sim.webhookUrl();
    sim.portal().seedLead({ TITLE: 'older than the field' });
    const fields = { FIELD_NAME: 'prozvon_ref', USER_TYPE_ID: 'string', LABEL: 'Prozvon ref' };
    const added = await post(hook, 'crm.lead.userfield.add', { fields });
    expect(added.body.result).toBeTypeOf('number');
    const listed = await post(hook, 'crm.lead.userfield.list', {
      filter: { FIELD_NAME: 'UF_CRM_PROZVON_REF' },
    });
    expect(listed.body.result).toEqual([
      expect.objectContaining({
        ID: String(added.body.result),
        FIELD_NAME: 'UF_CRM_PROZVON_REF',
        USER_TYPE_ID: 'string',
      }),
    ]);
    expect((await post(hook, 'crm.lead.userfield.add', { fields })).body.error).toBe('ERROR_CORE');
    expect((await post(hook, 'crm.lead.userfield.add', { fields: { USER_TYPE_ID: 'string' } })).body).toEqual(
      {
        error: '',
        error_description: "The 'FIELD_NAME' field is not found.",
      },
    );
    await post(hook, 'crm.lead.add', { fields: { UF_CRM_PROZVON_REF: 'r-1' } });
    expect((await post(hook, 'crm.lead.get', { id: 2 })).body.result.UF_CRM_PROZVON_REF).toBe('r-1');
    expect((await post(hook, 'crm.lead.get', { id: 1 })).body.result.UF_CRM_PROZVON_REF).toBeNull();
  });

  it('finds leads and contacts by phone digits and answers [] when nothing matches', async () => {
    const sim = await startSim();
    const hook = sim.webhookUrl();
    await post(hook, 'crm.lead.add', { fields: { PHONE: [{ VALUE: '+7 (916) 123-45-67' }] } });
    await post(hook, 'crm.lead.add', { fields: { PHONE: [{ VALUE: '+79990000000' }] } });
    sim.portal().seedContact({ NAME: 'C', PHONE: [{ VALUE: '79161234567' }] });
    const found = await post(hook, 'crm.duplicate.findbycomm', { type: 'PHONE', values: ['+79161234567'] });
    expect(found.body.result).toEqual({ LEAD: [1], CONTACT: [1] });
    const leadsOnly = await post(hook, 'crm.duplicate.findbycomm', {
      type: 'PHONE',
      values: ['+79161234567'],
      entity_type: 'LEAD',
    });
    expect(leadsOnly.body.result).toEqual({ LEAD: [1] });
    const none = await post(hook, 'crm.duplicate.findbycomm', { type: 'EMAIL', values: ['a@b.c'] });
    expect(none.body.result).toEqual([]);
    const untyped = await post(hook, 'crm.duplicate.findbycomm', { values: ['1'] });
    expect(untyped.body.error).toBe('Communication type is not defined');
  });

  it('writes log messages and to-dos on a lead', async () => {
    const sim = await startSim();
    const hook = sim.webhookUrl();
    await post(hook, 'crm.lead.add', { fields: { TITLE: 'L' } });
    const log = await post(hook, 'crm.timeline.logmessage.add', {
      fields: { entityTypeId: 1, entityId: 1, title: 'Prozvon', text: 'call.answered', iconCode: 'info' },
    });
    expect(log.body.result.logMessage).toMatchObject({
      id: expect.any(Number),
      title: 'Prozvon',
      text: 'call.answered',
    });
    const todo = await post(hook, 'crm.activity.todo.add', {
      ownerTypeId: 1,
      ownerId: 1,
      deadline: '2026-11-25T15:00:00+03:00',
      title: 'Call back by hand',
    });
    expect(todo.body.result).toEqual({ id: expect.any(Number) });
    expect(sim.state.todos()).toEqual([
      expect.objectContaining({
        ownerId: 1,
        title: 'Call back by hand',
        deadline: '2026-11-25T15:00:00+03:00',
      }),
    ]);
    expect(sim.state.logMessages()).toHaveLength(1);
    const missing = await post(hook, 'crm.activity.todo.add', {
      ownerTypeId: 1,
      ownerId: 9,
      deadline: '2026-11-25',
    });
    expect(missing.status).toBe(400);
  });

  it('deletes a lead', async () => {
    const sim = await startSim();
    const hook = sim.webhookUrl();
    await post(hook, 'crm.lead.add', { fields: { TITLE: 'L' } });
    expect((await post(hook, 'crm.lead.delete', { id: 1 })).body.result).toBe(true);
    expect((await post(hook, 'crm.lead.get', { id: 1 })).body.error_description).toBe('Not found');
    expect((await post(hook, 'crm.lead.delete', { id: 1 })).status).toBe(400);
  });
});
