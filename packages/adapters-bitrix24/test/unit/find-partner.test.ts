import { PermanentError } from '@prozvon/sdk';
import { describe, expect, it } from 'vitest';
import { createBitrix24Crm } from '../../src/index.js';
import { byMethod, fakePortal, hookAuth } from './fake-portal.js';

const portal = fakePortal();

describe('findPartner', () => {
  it('matches a company by its UF code field, exactly, oldest first, without counting', async () => {
    portal.reply(
      byMethod({ 'crm.company.list': [{ ID: '12', TITLE: 'ООО Партнёр', UF_CRM_PROZVON_REF: 'P-42' }] }),
    );
    const crm = createBitrix24Crm({ auth: hookAuth });
    expect(await crm.findPartner(' p-42 ')).toEqual({ id: '12', name: 'ООО Партнёр', entity: 'company' });
    expect(portal.sent).toHaveLength(1);
    expect(portal.sent[0]?.path).toBe('/rest/1/k32t88gf3azpmwv3/batch');
    expect(portal.sent[0]?.halt).toBe(0);
    expect(portal.commands()).toEqual([
      {
        id: expect.any(String),
        method: 'crm.company.list',
        params: {
          filter: { '=UF_CRM_PROZVON_REF': 'p-42' },
          select: ['ID', 'TITLE', 'UF_CRM_PROZVON_REF'],
          order: { ID: 'ASC' },
          start: '-1',
        },
      },
    ]);
  });

  it('matches a contact by a standard field and names it by first and last name', async () => {
    portal.reply(
      byMethod({
        'crm.contact.list': [{ ID: '7', NAME: 'Пётр', LAST_NAME: 'Сидоров', SOURCE_DESCRIPTION: 'p-7' }],
      }),
    );
    const crm = createBitrix24Crm({
      auth: hookAuth,
      partner: { entity: 'contact', codeField: 'SOURCE_DESCRIPTION' },
    });
    expect(await crm.findPartner('p-7')).toEqual({ id: '7', name: 'Пётр Сидоров', entity: 'contact' });
    expect(portal.commands()[0]).toMatchObject({
      method: 'crm.contact.list',
      params: {
        filter: { '=SOURCE_DESCRIPTION': 'p-7' },
        select: ['ID', 'NAME', 'LAST_NAME', 'SOURCE_DESCRIPTION'],
      },
    });
  });

  it('matches a smart-process item through crm.item.list with its entityTypeId', async () => {
    portal.reply(
      byMethod({ 'crm.item.list': { items: [{ id: 3, title: 'Партнёр Три', ufCrm5ProzvonRef: 'p-3' }] } }),
    );
    const crm = createBitrix24Crm({
      auth: hookAuth,
      partner: { entity: 'item', entityTypeId: 128, codeField: 'ufCrm5ProzvonRef' },
    });
    expect(await crm.findPartner('p-3')).toEqual({ id: '3', name: 'Партнёр Три', entity: 'item:128' });
    expect(portal.commands()[0]).toEqual({
      id: expect.any(String),
      method: 'crm.item.list',
      params: {
        entityTypeId: '128',
        filter: { '=ufCrm5ProzvonRef': 'p-3' },
        select: ['id', 'title', 'ufCrm5ProzvonRef'],
        order: { id: 'ASC' },
      },
    });
  });

  it('returns null when no partner has the code, and asks nothing for an empty code', async () => {
    portal.reply(byMethod({ 'crm.company.list': [], 'crm.item.list': { items: [] } }));
    const crm = createBitrix24Crm({ auth: hookAuth });
    expect(await crm.findPartner('nobody')).toBeNull();
    expect(await crm.findPartner('   ')).toBeNull();
    expect(portal.sent).toHaveLength(1);
    const items = createBitrix24Crm({
      auth: hookAuth,
      partner: { entity: 'item', entityTypeId: 130, codeField: 'title' },
    });
    expect(await items.findPartner('nobody')).toBeNull();
  });

  it('falls back to the id for a partner without a name', async () => {
    portal.reply(
      byMethod({ 'crm.company.list': [{ ID: 5, TITLE: null, UF_CRM_PROZVON_REF: ['p-0', 'p-5'] }] }),
    );
    const crm = createBitrix24Crm({ auth: hookAuth });
    expect(await crm.findPartner('p-5')).toEqual({ id: '5', name: '#5', entity: 'company' });
  });

  it('refuses an answer whose rows do not carry the code: the portal ignored a filter on an unknown field', async () => {
    portal.reply(
      byMethod({
        'crm.company.list': [{ ID: '1', TITLE: 'Самая старая компания' }],
        'crm.item.list': { items: [{ id: 1, title: 'x', ufCrmRef: 'p-1' }] },
      }),
    );
    const crm = createBitrix24Crm({
      auth: hookAuth,
      partner: { entity: 'company', codeField: 'UF_CRM_TYPO' },
    });
    const error = await crm.findPartner('p-42').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toContain('UF_CRM_TYPO');
    const items = createBitrix24Crm({
      auth: hookAuth,
      partner: { entity: 'item', entityTypeId: 128, codeField: 'ufCrmRef' },
    });
    await expect(items.findPartner('p-42')).rejects.toBeInstanceOf(PermanentError);
  });

  it('asks the portal once for a code looked up by many leads at the same time', async () => {
    portal.reply(byMethod({ 'crm.company.list': [{ ID: '12', TITLE: 'П', UF_CRM_PROZVON_REF: 'p-42' }] }));
    const crm = createBitrix24Crm({ auth: hookAuth });
    const found = await Promise.all([
      crm.findPartner('p-42'),
      crm.findPartner('p-42 '),
      crm.findPartner('p-42'),
    ]);
    expect(found.map((p) => p?.id)).toEqual(['12', '12', '12']);
    expect(portal.commands()).toHaveLength(1);
    // Not a cache: a later look-up asks again, so a partner added meanwhile is found.
    await crm.findPartner('p-42');
    expect(portal.commands()).toHaveLength(2);
  });
});
