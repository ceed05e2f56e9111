import { tenantConfigSchema } from '@prozvon/sdk';
import { describe, expect, it } from 'vitest';
import {
  errorOf,
  fieldErrors,
  formFromView,
  putBodyFrom,
  type SettingsView,
} from '../src/settings/settings-model.js';

function view(overrides: Partial<SettingsView> = {}): SettingsView {
  return {
    portal: { memberId: 'm1', domain: 'shop.bitrix24.ru', status: 'active' },
    version: 1,
    tenant: tenantConfigSchema.parse({}),
    tenantValid: true,
    providers: {
      crm: {
        partner: { entity: 'company', codeField: 'UF_CRM_PROZVON_REF' },
        lead: { titlePrefix: 'Заявка', sourceId: 'WEB' },
        calls: { noAnswerStatusId: 'IN_PROCESS' },
        callSources: null,
      },
      voice: { message: 'Здравствуйте!' },
      site: { origins: [] },
    },
    secrets: {
      intake: { secret: '••••abcd', previousValidUntil: null },
      voximplant: { source: 'operator', privateKey: null },
      sms: { source: 'portal', providers: [{ kind: 'smsru', config: { apiId: '••••1234' } }] },
      telegram: { source: 'none', botToken: null },
    },
    urls: { intake: 'https://app/p/k/leads', corezoid: 'https://app/api/1/json/public/k/••••abcd' },
    changed: null,
    ...overrides,
  };
}

describe('the settings form', () => {
  it('sends back what it was given, and no secret the user did not type', () => {
    const v = view();
    const body = putBodyFrom(formFromView(v), v);
    expect(body.secrets).toBeUndefined();
    expect(tenantConfigSchema.parse(body.tenant)).toEqual(v.tenant);
    expect(body.providers).toMatchObject({
      crm: { partner: { entity: 'company', codeField: 'UF_CRM_PROZVON_REF' }, callSources: null },
      voice: { message: 'Здравствуйте!' },
      telegram: null,
      site: { origins: [] },
    });
  });

  it('sends a gateway’s keys only when typed, and removes the portal’s own gateway when none is chosen', () => {
    const v = view();
    const form = formFromView(v);
    expect(form.sms.kind).toBe('smsru');
    form.sms.keys.apiId = ' new-key ';
    expect(putBodyFrom(form, v).secrets).toEqual({
      smsProviders: [{ kind: 'smsru', config: { apiId: 'new-key' } }],
    });
    form.sms.kind = 'none';
    expect(putBodyFrom(form, v).secrets).toEqual({ smsProviders: null });
  });

  it('does not edit the view it was made from', () => {
    const v = view();
    const form = formFromView(v);
    form.tenant.hours.week.mon = null;
    expect(v.tenant.hours.week.mon).not.toBeNull();
  });

  it('sends an emptied limit as no limit', () => {
    const v = view();
    const form = formFromView(v);
    (form.tenant.abuse as Record<string, unknown>).ipPerHour = undefined;
    (form.tenant.abuse as Record<string, unknown>).phonePerDay = Number.NaN;
    const body = putBodyFrom(form, v);
    expect(tenantConfigSchema.parse(body.tenant).abuse).toMatchObject({
      ipPerHour: null,
      phonePerDay: null,
      phonePerHour: 5,
    });
  });

  it('drops an empty shop phone and reads a numeric chat id as a number', () => {
    const v = view();
    const form = formFromView(v);
    form.tenant.shopPhone = '  ';
    form.telegram.chatId = '-1001234';
    const body = putBodyFrom(form, v);
    expect(body.tenant).not.toHaveProperty('shopPhone');
    expect(body.providers).toMatchObject({ telegram: { chatId: -1001234 } });
  });
});

describe('the API’s issues at their fields', () => {
  it('puts each issue on the field the form shows it at', () => {
    const errors = fieldErrors([
      { path: 'tenant.shopPhone', message: 'Expected a phone number' },
      { path: 'tenant.hours.week.mon.to', message: 'the shop closes before it opens' },
      { path: 'tenant.phone.allowedCountries.1', message: 'unknown country' },
      { path: 'providers.crm.lead.sourceId', message: 'Too small' },
      { path: 'secrets.smsProviders.0.config.credentials.login', message: 'Required' },
      { path: 'secrets.telegramBotToken', message: 'expected a bot token' },
    ]);
    expect(errors).toEqual({
      'tenant.shopPhone': 'Expected a phone number',
      'tenant.hours.week.mon.to': 'the shop closes before it opens',
      'tenant.phone.allowedCountries': 'unknown country',
      'crm.sourceId': 'Too small',
      'sms.keys.login': 'Required',
      'telegram.botToken': 'expected a bot token',
    });
    expect(errorOf(errors, 'tenant.hours.week.mon')).toBe('the shop closes before it opens');
    expect(errorOf(errors, 'tenant.shopName')).toBeUndefined();
  });
});
