import { describe, expect, it } from 'vitest';
import { plausibleName, renderSmsText, tenantConfigSchema } from '../../src/config/index.js';

const defaults = tenantConfigSchema.parse({}).sms;

describe('{name} renders only a plausible personal name', () => {
  it.each([
    'Анна',
    'Anne-Marie',
    "O'Brien",
    'D’Artagnan',
    'Мария Ивановна',
    '李小龍',
    'Ολυμπία',
    'محمد',
    'अनुराधा',
    'A'.repeat(40),
  ])('%s is kept', (name) => {
    expect(plausibleName(name)).toBe(name);
  });

  it.each([
    'https://evil.example/pay',
    'Call +7 999 000-00-00',
    'Anna2',
    'Your account is blocked!',
    'Анна.',
    '- Анна',
    'Анна  Мария',
    'A'.repeat(41),
    '',
    '   ',
    'Анна\nМария',
  ])('%j renders as nothing', (name) => {
    expect(plausibleName(name)).toBe('');
  });

  it('trims the name it keeps', () => {
    expect(plausibleName('  Анна ')).toBe('Анна');
  });

  it('drops the optional part a rejected name was in, and the sentence still starts with a capital', () => {
    const values = { name: 'www.evil.example', shop: 'Лавка' };
    expect(renderSmsText(defaults.night, values)).toBe(
      'Заказ в «Лавка» принят. Мы позвоним вам в рабочее время.',
    );
    expect(renderSmsText(defaults.night, { ...values, name: 'Анна' })).toBe(
      'Анна, заказ в «Лавка» принят. Мы позвоним вам в рабочее время.',
    );
  });

  it('a placeholder outside brackets renders empty when it has no value', () => {
    expect(renderSmsText('Hi {name}! {shopPhone}', { name: '1234', shop: 'S' })).toBe('Hi ! ');
  });
});

describe('{shopPhone} and optional parts', () => {
  it('keeps the part when every placeholder in it has a value, without the brackets', () => {
    const text = '[{name}, ]ок.[ Звоните: {shopPhone}.]';
    expect(renderSmsText(text, { name: 'Анна', shop: 'S', shopPhone: '+7 495 1' })).toBe(
      'Анна, ок. Звоните: +7 495 1.',
    );
    expect(renderSmsText(text, { name: 'Анна', shop: 'S' })).toBe('Анна, ок.');
  });

  it('leaves brackets without a placeholder, and unknown placeholders, as typed', () => {
    expect(renderSmsText('[акция] {unknown} [{nope}]', { name: 'A', shop: 'S' })).toBe(
      '[акция] {unknown} [{nope}]',
    );
  });

  it('fills a value once: a shop name holding braces is not filled again', () => {
    expect(renderSmsText('[{shop}]', { name: 'A', shop: '{name}' })).toBe('{name}');
  });

  it('no default text promises a call back or a read reply', () => {
    for (const text of Object.values(defaults)) expect(text).not.toMatch(/перезвоним|ответьте/i);
  });

  it('refuses a shop phone that is no phone', () => {
    expect(tenantConfigSchema.safeParse({ shopPhone: 'call us' }).success).toBe(false);
    expect(tenantConfigSchema.parse({ shopPhone: ' 8 (800) 555-35-35 ' }).shopPhone).toBe(
      '8 (800) 555-35-35',
    );
  });
});
