import type { Notice } from '@prozvon/sdk';
import { parseHtml } from '@prozvon/testkit';
import { describe, expect, it } from 'vitest';
import { formatNotice } from '../src/format-notice.js';
import { escapeHtml } from '../src/html.js';

const base = { key: 'lead:1:notify:new-lead', leadId: 'L1', customerName: 'Иван', phone: '+79161234567' };
const newLead: Notice = {
  ...base,
  kind: 'newLead',
  city: 'Екатеринбург',
  partner: 'Партнёр №1',
  site: 'shop.example',
  orderSum: 12500,
  currency: 'RUB',
  crmLeadId: '42',
  crmUrl: 'https://shop.bitrix24.ru/crm/lead/details/42/',
};

/** What a seller sees: the text after Telegram's HTML parsing (the simulator's parser). */
const shown = (html: string) => parseHtml(html).text;

describe('escapeHtml', () => {
  it.each([
    ['<b>Ivan</b>', '&lt;b&gt;Ivan&lt;/b&gt;'],
    ['Tom & Jerry', 'Tom &amp; Jerry'],
    ['"quoted"', '&quot;quoted&quot;'],
    ['&amp; already', '&amp;amp; already'],
    ['Иван 😀', 'Иван 😀'],
  ])('%s → %s', (raw, escaped) => {
    expect(escapeHtml(raw)).toBe(escaped);
  });
});

describe('formatNotice', () => {
  it('a new lead lists every field and links the CRM lead', () => {
    const html = formatNotice(newLead);
    expect(shown(html)).toBe(
      [
        '🆕 Новый лид',
        'Имя: Иван',
        'Телефон: +79161234567',
        'Город: Екатеринбург',
        'Партнёр: Партнёр №1',
        'Сайт: shop.example',
        `Сумма: ${new Intl.NumberFormat('ru-RU', { style: 'currency', currency: 'RUB' }).format(12500)}`,
        'Лид в CRM №42',
      ].join('\n'),
    );
    expect(parseHtml(html).entities).toContainEqual(
      expect.objectContaining({ type: 'text_link', url: 'https://shop.bitrix24.ru/crm/lead/details/42/' }),
    );
  });

  it('leaves out what the shop did not send', () => {
    const {
      city: _c,
      partner: _p,
      site: _s,
      orderSum: _o,
      currency: _cur,
      crmUrl: _u,
      ...bare
    } = newLead as Extract<Notice, { kind: 'newLead' }>;
    expect(shown(formatNotice({ ...bare, crmLeadId: '' }))).toBe(
      '🆕 Новый лид\nИмя: Иван\nТелефон: +79161234567',
    );
  });

  it('builds the CRM link from the template when the notice has no URL', () => {
    const { crmUrl: _u, ...noUrl } = newLead as Extract<Notice, { kind: 'newLead' }>;
    const html = formatNotice(noUrl, { crmLeadUrl: 'https://crm.example/lead/{id}/' });
    expect(parseHtml(html).entities).toContainEqual(
      expect.objectContaining({ type: 'text_link', url: 'https://crm.example/lead/42/' }),
    );
  });

  it('shows a sum in an unknown currency as typed, and a sum without one as a number', () => {
    const odd = formatNotice({ ...newLead, orderSum: 1500.5, currency: 'баллы' } as Notice);
    expect(shown(odd)).toContain(`Сумма: ${new Intl.NumberFormat('ru-RU').format(1500.5)} баллы`);
    const { currency: _c, ...plain } = newLead as Extract<Notice, { kind: 'newLead' }>;
    expect(shown(formatNotice(plain))).toContain(`Сумма: ${new Intl.NumberFormat('ru-RU').format(12500)}\n`);
  });

  it('never links anything but http(s)', () => {
    const html = formatNotice({ ...newLead, crmUrl: 'javascript:alert(1)' } as Notice);
    expect(html).not.toContain('<a ');
    expect(shown(html)).toContain('Лид в CRM №42');
  });

  it('escapes everything a customer typed: it shows as typed and formats nothing', () => {
    const hostile: Notice = {
      ...newLead,
      customerName: '<b>Иван</b> & <a href="https://evil.example">Co</a>',
      city: '<i>Москва',
      partner: 'A&B <3',
      site: '"><script>',
      currency: '<u>',
    } as Notice;
    const html = formatNotice(hostile);
    const parsed = parseHtml(html);
    expect(parsed.text).toContain('Имя: <b>Иван</b> & <a href="https://evil.example">Co</a>');
    expect(parsed.text).toContain('Город: <i>Москва');
    expect(parsed.text).toContain('Партнёр: A&B <3');
    expect(parsed.text).toContain('Сайт: "><script>');
    // Only our own formatting: the bold title, the phone as code and the CRM link.
    expect(parsed.entities.map((e) => e.type).sort()).toEqual(['bold', 'code', 'text_link']);
  });

  it('cuts a very long field so the message stays within Telegram’s limit', () => {
    const html = formatNotice({ ...newLead, customerName: 'Я'.repeat(5_000) } as Notice);
    expect(shown(html)).toContain(`Имя: ${'Я'.repeat(299)}…`);
    expect(shown(html).length).toBeLessThan(4096);
  });

  it('a CRM failure asks for processing by hand, saying why', () => {
    const auth = formatNotice({ ...base, kind: 'crmFailed', reason: 'auth', message: 'expired_token' });
    expect(shown(auth)).toBe(
      '⚠️ Лид не попал в CRM — обработайте вручную\nИмя: Иван\nТелефон: +79161234567\nПричина: нет доступа к CRM (токен отозван или неверен)',
    );
    const refused = formatNotice({
      ...base,
      kind: 'crmFailed',
      reason: 'permanent',
      message: 'PHONE <invalid>',
    });
    expect(shown(refused)).toContain('Причина: CRM отклонила лид (PHONE <invalid>)');
  });

  it.each([
    ['no_answer', 'клиент не ответил ни на одну попытку'],
    ['no_call_result', 'результат звонка не пришёл'],
    ['dial_refused', 'телефония отказалась звонить'],
    ['no_call_window', 'не нашлось времени, когда можно позвонить'],
    [
      'message_failed',
      'клиент взял трубку, но сообщение не проигралось (запись недоступна или ошибка синтеза речи): перезвоните и проверьте запись или голос',
    ],
    [
      'daily_limit',
      'достигнут дневной лимит звонков или SMS магазина: до конца дня новым лидам не звоним и не пишем, они в CRM',
    ],
    ['something_<new>', 'something_<new>'],
  ])('a lead in manual (%s) says why in Russian', (reason, text) => {
    const html = formatNotice(
      { ...base, kind: 'manual', reason, crmLeadId: '42' },
      { crmLeadUrl: 'https://crm.example/{id}' },
    );
    expect(shown(html)).toBe(
      `✋ Лид требует ручной обработки\nИмя: Иван\nТелефон: +79161234567\nПричина: ${text}\nЛид в CRM №42`,
    );
  });

  it.each([
    ['answered', 'клиент ответил'],
    ['machine', 'ответил автоответчик'],
    ['nodial', 'не дозвонились'],
    ['invalid', 'номер не существует'],
    ['unheard', 'клиент ответил, но сообщение не проигралось'],
  ] as const)('a call outcome (%s) names the outcome and the attempt', (outcome, text) => {
    const html = formatNotice({ ...base, kind: 'callOutcome', outcome, attempt: 2 });
    expect(shown(html)).toBe(`📞 Звонок: ${text} (попытка 2)\nИмя: Иван\nТелефон: +79161234567`);
  });
});
