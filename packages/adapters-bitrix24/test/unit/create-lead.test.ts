import { type CrmLeadRequest, PermanentError, TransientError } from '@prozvon/sdk';
import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createBitrix24Crm } from '../../src/index.js';
import { byMethod, fakePortal, hookAuth, oauthAuth, PORTAL } from './fake-portal.js';

const portal = fakePortal();

const request = (overrides: Partial<CrmLeadRequest> = {}): CrmLeadRequest => ({
  key: 'lead:42:crm',
  phone: '+79161234567',
  partner: { id: '12', name: 'ООО Партнёр', entity: 'company' },
  submittedAt: Date.UTC(2026, 10, 25, 9, 30),
  lead: {
    name: 'Анна',
    phone: '89161234567',
    city: 'Казань',
    timezone: 'Europe/Moscow',
    partnerCode: 'p-42',
    site: 'shop.example',
    orderSum: 990,
    currency: 'USD',
    items: [{ name: '<script>alert(1)</script>', qty: 1, price: 990 }],
    ip: '198.51.100.4',
    utm: { source: 'yandex', medium: 'cpc', campaign: 'c1', content: 'ad', term: 'kettle' },
    comment: 'Line one\nLine "two" & more',
  },
  ...overrides,
});

describe('findLeadByKey', () => {
  it('looks the lead up by ORIGIN_ID and our ORIGINATOR_ID, and links its card', async () => {
    portal.reply(
      byMethod({ 'crm.lead.list': [{ ID: '301', ORIGIN_ID: 'lead:42:crm', ORIGINATOR_ID: 'prozvon' }] }),
    );
    const crm = createBitrix24Crm({ auth: hookAuth });
    expect(await crm.findLeadByKey('lead:42:crm')).toEqual({
      id: '301',
      url: `${PORTAL}/crm/lead/details/301/`,
    });
    expect(portal.commands()[0]).toMatchObject({
      method: 'crm.lead.list',
      params: {
        filter: { '=ORIGIN_ID': 'lead:42:crm', '=ORIGINATOR_ID': 'prozvon' },
        select: ['ID', 'ORIGIN_ID', 'ORIGINATOR_ID'],
        order: { ID: 'ASC' },
        start: '-1',
      },
    });
  });

  it("refuses leads that do not carry the key rather than hand a stranger's lead over", async () => {
    portal.reply(byMethod({ 'crm.lead.list': [{ ID: '1', ORIGIN_ID: null, ORIGINATOR_ID: null }] }));
    const crm = createBitrix24Crm({ auth: hookAuth });
    await expect(crm.findLeadByKey('lead:42:crm')).rejects.toThrow(PermanentError);
    await expect(crm.createLead(request())).rejects.toThrow(/do not carry this ORIGIN_ID/);
    expect(portal.commands().map((c) => c.method)).not.toContain('crm.lead.add');
  });

  it('returns null when no lead has the key', async () => {
    portal.reply(byMethod({ 'crm.lead.list': [] }));
    const crm = createBitrix24Crm({ auth: oauthAuth() });
    expect(await crm.findLeadByKey('lead:1:crm')).toBeNull();
    expect(portal.sent[0]).toMatchObject({ path: '/rest//batch', auth: 'access-1' });
  });
});

describe('createLead', () => {
  it('returns the lead already created under the key and adds nothing', async () => {
    portal.reply(
      byMethod({ 'crm.lead.list': [{ ID: '301', ORIGIN_ID: 'lead:42:crm', ORIGINATOR_ID: 'prozvon' }] }),
    );
    const crm = createBitrix24Crm({ auth: hookAuth });
    expect(await crm.createLead(request())).toEqual({ id: '301', url: `${PORTAL}/crm/lead/details/301/` });
    expect(portal.commands().map((c) => c.method)).toEqual(['crm.lead.list']);
  });

  it('adds a lead with every field when the look-up finds none', async () => {
    portal.reply(byMethod({ 'crm.lead.list': [], 'crm.lead.add': 302 }));
    const crm = createBitrix24Crm({ auth: hookAuth, lead: { assignedById: 9, originatorId: 'shop-x' } });
    expect(await crm.createLead(request())).toEqual({ id: '302', url: `${PORTAL}/crm/lead/details/302/` });
    const [lookup, add] = portal.commands();
    expect(lookup?.params.filter).toEqual({ '=ORIGIN_ID': 'lead:42:crm', '=ORIGINATOR_ID': 'shop-x' });
    expect(add?.method).toBe('crm.lead.add');
    expect(add?.params).toEqual({
      fields: {
        TITLE: 'Заявка: Анна (shop.example)',
        NAME: 'Анна',
        PHONE: [{ VALUE: '+79161234567', VALUE_TYPE: 'MOBILE' }],
        ADDRESS_CITY: 'Казань',
        SOURCE_ID: 'WEB',
        SOURCE_DESCRIPTION: 'Prozvon, shop.example, партнёр p-42',
        UTM_SOURCE: 'yandex',
        UTM_MEDIUM: 'cpc',
        UTM_CAMPAIGN: 'c1',
        UTM_CONTENT: 'ad',
        UTM_TERM: 'kettle',
        COMMENTS: [
          'Товары:',
          '— &lt;script&gt;alert(1)&lt;/script&gt; × 1, 990',
          'Сайт: shop.example',
          'IP: 198.51.100.4',
          'Часовой пояс: Europe/Moscow',
          'Партнёр: ООО Партнёр (company #12)',
          'Получена: 2026-11-25T09:30:00.000Z',
          'Комментарий: Line one<br>Line &quot;two&quot; &amp; more',
        ].join('<br>'),
        ORIGINATOR_ID: 'shop-x',
        ORIGIN_ID: 'lead:42:crm',
        ASSIGNED_BY_ID: '9',
        COMPANY_ID: '12',
        OPPORTUNITY: '990',
        CURRENCY_ID: 'USD',
        IS_MANUAL_OPPORTUNITY: 'Y',
      },
      params: { REGISTER_SONET_EVENT: 'Y' },
    });
  });

  it('adds a minimal lead without partner, sum or optional fields', async () => {
    portal.reply(byMethod({ 'crm.lead.list': [], 'crm.lead.add': 303 }));
    const crm = createBitrix24Crm({ auth: hookAuth });
    await crm.createLead(
      request({ partner: null, phone: '+74951234567', lead: { name: 'Олег', phone: '84951234567' } }),
    );
    expect(portal.commands()[1]?.params.fields).toEqual({
      TITLE: 'Заявка: Олег',
      NAME: 'Олег',
      PHONE: [{ VALUE: '+74951234567', VALUE_TYPE: 'WORK' }],
      SOURCE_ID: 'WEB',
      SOURCE_DESCRIPTION: 'Prozvon',
      COMMENTS: 'Получена: 2026-11-25T09:30:00.000Z',
      ORIGINATOR_ID: 'prozvon',
      ORIGIN_ID: 'lead:42:crm',
    });
  });

  it('links a contact partner by CONTACT_ID, and an item partner through the configured lead field', async () => {
    portal.reply(byMethod({ 'crm.lead.list': [], 'crm.lead.add': 304 }));
    const contacts = createBitrix24Crm({ auth: hookAuth, partner: { entity: 'contact' } });
    await contacts.createLead(request({ partner: { id: '7', name: 'Пётр', entity: 'contact' } }));
    expect(portal.commands()[1]?.params.fields).toMatchObject({ CONTACT_ID: '7' });
    expect(portal.commands()[1]?.params.fields).not.toHaveProperty('COMPANY_ID');

    const items = createBitrix24Crm({
      auth: hookAuth,
      partner: { entity: 'item', entityTypeId: 187, codeField: 'ufCrmRef', leadField: 'UF_CRM_PARTNER' },
    });
    await items.createLead(
      request({ key: 'lead:43:crm', partner: { id: '3', name: 'П', entity: 'item:187' } }),
    );
    expect(portal.commands()[3]?.params.fields).toMatchObject({ UF_CRM_PARTNER: 'Tbb_3' });
  });

  it('sums the items when the shop sent no order sum', async () => {
    portal.reply(byMethod({ 'crm.lead.list': [], 'crm.lead.add': 305 }));
    const crm = createBitrix24Crm({ auth: hookAuth });
    const base = request();
    await crm.createLead({
      ...base,
      lead: {
        ...base.lead,
        orderSum: undefined,
        currency: undefined,
        items: [
          { name: 'A', qty: 3, price: 0.1 },
          { name: 'B', qty: 1, price: 10 },
        ],
      },
    });
    expect(portal.commands()[1]?.params.fields).toMatchObject({ OPPORTUNITY: '10.3', CURRENCY_ID: 'RUB' });
  });

  it('adds once when the same key is created twice at the same time in one process', async () => {
    portal.reply(byMethod({ 'crm.lead.list': [], 'crm.lead.add': 306 }));
    const crm = createBitrix24Crm({ auth: hookAuth });
    const [a, b] = await Promise.all([crm.createLead(request()), crm.createLead(request())]);
    expect(a).toEqual(b);
    expect(portal.commands().filter((c) => c.method === 'crm.lead.add')).toHaveLength(1);
  });

  it('coalesces the look-ups of leads created together into one request, and their adds into another', async () => {
    let nextId = 400;
    portal.reply(({ commands }) => ({
      result: Object.fromEntries(commands.map((c) => [c.id, c.method === 'crm.lead.add' ? nextId++ : []])),
    }));
    const crm = createBitrix24Crm({ auth: hookAuth, maxInFlight: 1 });
    const refs = await Promise.all(
      Array.from({ length: 10 }, (_, i) => crm.createLead(request({ key: `lead:${i}:crm` }))),
    );
    expect(new Set(refs.map((r) => r.id)).size).toBe(10);
    expect(portal.sent.map((r) => r.commands.map((c) => c.method))).toEqual([
      Array(10).fill('crm.lead.list'),
      Array(10).fill('crm.lead.add'),
    ]);
  });

  it('an add whose answer was lost is not re-sent; the retry finds the lead it made', async () => {
    const added: string[] = [];
    portal.reply(({ commands }) => {
      const add = commands.find((c) => c.method === 'crm.lead.add');
      if (add !== undefined) {
        // The portal ran it, then the connection broke before the answer arrived.
        added.push(add.params.fields.ORIGIN_ID);
        return HttpResponse.error();
      }
      return {
        result: Object.fromEntries(
          commands.map((c) => [
            c.id,
            added.length > 0 ? [{ ID: '310', ORIGIN_ID: 'lead:42:crm', ORIGINATOR_ID: 'prozvon' }] : [],
          ]),
        ),
      };
    });
    const crm = createBitrix24Crm({ auth: hookAuth });
    await expect(crm.createLead(request())).rejects.toBeInstanceOf(TransientError);
    expect(added).toEqual(['lead:42:crm']);
    // The engine retries the effect: the look-up finds the lead, nothing is added twice.
    expect(await crm.createLead(request())).toMatchObject({ id: '310' });
    expect(added).toHaveLength(1);
  });
});
