// The dashboard benchmarks' rows (store/dashboard.js on SQLite, store/pg-dashboard.js on PostgreSQL).

/**
 * A snapshot about the size of a real finished lead's (its context: the lead, the phone, the
 * partner, the call outcomes): the table's rows are as wide as in production, the index is not.
 */
export const SNAPSHOT = JSON.stringify({
  value: { crm: 'created', call: 'answered' },
  context: {
    lead: {
      name: 'Анна Петрова',
      phone: '+79161234567',
      city: 'Екатеринбург',
      timezone: 'Asia/Yekaterinburg',
      partnerCode: 'PARTNER42',
      site: 'shop.example',
      orderSum: 1990,
      currency: 'RUB',
      items: [{ name: 'Чайник электрический', qty: 1, price: 1990 }],
      utm: { source: 'PARTNER42', medium: 'referral', campaign: 'winter' },
      comment: 'Позвонить после обеда',
    },
    phone: { ok: true, e164: '+79161234567', type: 'mobile', region: 'RU' },
    partner: { id: '42', name: 'Блогер Иван', entity: 'company' },
    crmLeadId: '123456',
    crmUrl: 'https://shop.bitrix24.ru/crm/lead/details/123456/',
    attempt: 1,
    outcomes: [{ attempt: 1, outcome: 'answered' }],
    crmQueue: [],
    crmWriting: null,
    callWakeAt: null,
    attemptStartedAt: 1_795_608_000_000,
    nightSmsSent: false,
    manualReason: null,
    crmAttempt: 1,
  },
  v: 2,
});
