import type { Notice } from '@prozvon/sdk';
import { parseHtml } from '@prozvon/testkit';
import { describe, expect, it } from 'vitest';
import {
  type DigestItem,
  fittingCount,
  formatDigest,
  formatDigestEntry,
  MESSAGE_LIMIT,
} from '../src/format-digest.js';

const base = { key: 'k', leadId: 'L1', customerName: 'Иван', phone: '+79161234567' };
const newLead = (i: number, extra: Partial<Notice> = {}): Notice =>
  ({
    ...base,
    kind: 'newLead',
    customerName: `Клиент ${i}`,
    city: 'Москва',
    orderSum: 12500,
    currency: 'RUB',
    crmLeadId: String(i),
    crmUrl: `https://shop.bitrix24.ru/crm/lead/details/${i}/`,
    ...extra,
  }) as Notice;
const item = (notice: Notice, crmLeadUrl?: string): DigestItem => ({
  kind: notice.kind,
  entry: formatDigestEntry(notice, crmLeadUrl === undefined ? {} : { crmLeadUrl }),
});
const rub = new Intl.NumberFormat('ru-RU', { style: 'currency', currency: 'RUB' }).format(12500);

describe('formatDigest', () => {
  it('counts new leads in Russian, lists each oldest first, each linked to its CRM lead', () => {
    const html = formatDigest([1, 2, 3, 4, 5].map((i) => item(newLead(i))));
    const { text, entities } = parseHtml(html);
    const [title, ...entries] = text.split('\n\n');
    expect(title).toBe('🔔 5 новых лидов');
    expect(entries).toEqual(
      [1, 2, 3, 4, 5].map((i) => `🆕 Клиент ${i}, +79161234567, Москва, ${rub} — Лид в CRM №${i}`),
    );
    expect(entities.filter((e) => e.type === 'text_link').map((e) => e.url)).toEqual(
      [1, 2, 3, 4, 5].map((i) => `https://shop.bitrix24.ru/crm/lead/details/${i}/`),
    );
  });

  it.each([
    [2, '2 новых лида'],
    [11, '11 новых лидов'],
    [21, '21 новый лид'],
    [22, '22 новых лида'],
    [112, '112 новых лидов'],
  ])('%i new leads → %s', (n, title) => {
    const html = formatDigest(Array.from({ length: n }, (_, i) => item(newLead(i))));
    expect(parseHtml(html).text.split('\n')[0]).toBe(`🔔 ${title}`);
  });

  it('a mix of kinds is counted as notices, each entry saying what it is', () => {
    const notices: Notice[] = [
      newLead(1, { partner: 'A&B', site: 'shop.example' }),
      { ...base, kind: 'crmFailed', reason: 'permanent', message: 'PHONE <invalid>' },
      { ...base, kind: 'manual', reason: 'no_answer', crmLeadId: '7' },
      { ...base, kind: 'callOutcome', outcome: 'nodial', attempt: 2 },
    ];
    const html = formatDigest(notices.map((n) => item(n, 'https://crm.example/lead/{id}/')));
    const { text, entities } = parseHtml(html);
    expect(text.split('\n\n')).toEqual([
      '🔔 4 уведомления',
      `🆕 Клиент 1, +79161234567, Москва, партнёр A&B, сайт shop.example, ${rub} — Лид в CRM №1`,
      '⚠️ Не попал в CRM — обработайте вручную: Иван, +79161234567 — CRM отклонила лид (PHONE <invalid>)',
      '✋ Требует ручной обработки: Иван, +79161234567 — клиент не ответил ни на одну попытку — Лид в CRM №7',
      '📞 Звонок: не дозвонились (попытка 2) — Иван, +79161234567',
    ]);
    // The manual lead has no URL of its own: its link comes from the template.
    expect(entities.filter((e) => e.type === 'text_link').map((e) => e.url)).toEqual([
      'https://shop.bitrix24.ru/crm/lead/details/1/',
      'https://crm.example/lead/7/',
    ]);
  });

  it('what a customer typed shows as typed and formats nothing', () => {
    const hostile = newLead(1, { customerName: '<b>Иван</b> & <a href="x">Co</a>', city: '<i>' });
    const { text, entities } = parseHtml(formatDigest([item(hostile), item(newLead(2))]));
    expect(text).toContain('🆕 <b>Иван</b> & <a href="x">Co</a>, +79161234567, <i>,');
    expect(new Set(entities.map((e) => e.type))).toEqual(new Set(['bold', 'code', 'text_link']));
  });
});

describe('fittingCount', () => {
  it('takes every entry that fits within Telegram’s limit, title included', () => {
    const long = (i: number) => item(newLead(i, { customerName: `${'Ж'.repeat(299)}${i}` }));
    const items = Array.from({ length: 30 }, (_, i) => long(i));
    const count = fittingCount(items);
    expect(count).toBeGreaterThan(1);
    expect(count).toBeLessThan(30);
    expect(formatDigest(items.slice(0, count)).length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(formatDigest(items.slice(0, count + 1)).length).toBeGreaterThan(MESSAGE_LIMIT - 64);
  });

  it('always takes at least one, and all of a short queue', () => {
    expect(fittingCount([item(newLead(1))])).toBe(1);
    expect(fittingCount([1, 2, 3].map((i) => item(newLead(i))))).toBe(3);
  });
});
