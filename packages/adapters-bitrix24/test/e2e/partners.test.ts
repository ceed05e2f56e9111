import { PermanentError } from '@prozvon/sdk';
import { describe, expect, it } from 'vitest';
import { createBitrix24Crm } from '../../src/index.js';
import { leadRequest, startSim } from './helpers.js';

// Each shop maps its own partner scheme (BITRIX24.md §4.4): these run the three kinds end to end.
describe('partner schemes, against the simulator', () => {
  it('a contact matched by a UF code is linked by CONTACT_ID', async () => {
    const sim = await startSim();
    const contactId = sim
      .portal()
      .seedContact({ NAME: 'Пётр', LAST_NAME: 'Сидоров', UF_CRM_REF_CODE: 'p-7' });
    sim.portal().seedContact({ NAME: 'Другой', UF_CRM_REF_CODE: 'p-8' });
    const crm = createBitrix24Crm({
      auth: { type: 'webhook', url: sim.webhookUrl() },
      partner: { entity: 'contact', codeField: 'UF_CRM_REF_CODE' },
    });
    const partner = await crm.findPartner('P-7');
    expect(partner).toEqual({ id: String(contactId), name: 'Пётр Сидоров', entity: 'contact' });
    await crm.createLead(leadRequest({ partner }));
    expect(sim.state.leads()[0]).toMatchObject({ CONTACT_ID: String(contactId) });
  });

  it('a smart-process item is found with crm.item.list and linked through a crm-type lead UF', async () => {
    const sim = await startSim();
    const portal = sim.portal();
    portal.seedItem(187, { title: 'Партнёр-процесс', ufCrm5RefCode: 'other' });
    const itemId = portal.seedItem(187, { title: 'Партнёр-процесс', ufCrm5RefCode: 'p-9' });
    portal.addUserField(portal.leads, 'PARTNER', 'crm');
    const crm = createBitrix24Crm({
      auth: { type: 'webhook', url: sim.webhookUrl() },
      partner: { entity: 'item', entityTypeId: 187, codeField: 'ufCrm5RefCode', leadField: 'UF_CRM_PARTNER' },
    });
    const partner = await crm.findPartner('p-9');
    expect(partner).toEqual({ id: String(itemId), name: 'Партнёр-процесс', entity: 'item:187' });
    expect(await crm.findPartner('p-10')).toBeNull();
    await crm.createLead(leadRequest({ partner }));
    const lead = sim.state.leads()[0];
    expect(lead).toMatchObject({ UF_CRM_PARTNER: `Tbb_${itemId}` });
    expect(lead?.COMPANY_ID ?? null).toBeNull();
    expect(String(lead?.COMMENTS)).toContain(`Партнёр: Партнёр-процесс (item:187 #${itemId})`);
  });

  it('a code field the portal does not know is a loud configuration error, not the oldest company', async () => {
    const sim = await startSim();
    sim.portal().seedCompany({ TITLE: 'Самая старая компания' });
    const crm = createBitrix24Crm({
      auth: { type: 'webhook', url: sim.webhookUrl() },
      partner: { entity: 'company', codeField: 'UF_CRM_NO_SUCH_FIELD' },
    });
    const error = await crm.findPartner('p-42').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toContain('UF_CRM_NO_SUCH_FIELD');
  });
});
