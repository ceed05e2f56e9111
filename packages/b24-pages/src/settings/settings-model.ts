import type { TenantConfig } from '@prozvon/sdk';
import type { ApiIssue } from '../shared/api.js';

/** `GET /api/portal/settings` as the page reads it (packages/b24-app/src/settings/settings-view.ts). */
export interface SettingsView {
  readonly portal: { readonly memberId: string; readonly domain: string; readonly status: string };
  /** Bumped by every save; a save sends back the one it read (`If-Match`), so none is lost. */
  readonly version: number;
  readonly tenant: TenantConfig;
  readonly tenantValid: boolean;
  readonly providers: {
    readonly crm: CrmSettings;
    readonly voice: VoiceSettings;
    readonly voximplant?: { readonly accountId: number; readonly keyId: string; readonly ruleId: number };
    readonly sms?: { readonly kinds: readonly SmsKind[] };
    readonly telegram?: { readonly chatId: string | number };
    readonly site: { readonly origins: readonly string[] };
  };
  readonly secrets: {
    readonly intake: { readonly secret: string | null; readonly previousValidUntil: number | null };
    readonly voximplant: { readonly source: ProviderSource; readonly privateKey: string | null };
    readonly sms: {
      readonly source: ProviderSource;
      readonly providers: readonly { readonly kind: string; readonly config: unknown }[];
    };
    readonly telegram: { readonly source: ProviderSource; readonly botToken: string | null };
  };
  readonly urls: { readonly intake: string; readonly corezoid: string };
  readonly changed: { readonly by: string; readonly at: number } | null;
}

export type ProviderSource = 'portal' | 'operator' | 'none';
export type SmsKind = 'smsru' | 'smsc' | 'twilio';

type PartnerSettings =
  | { entity: 'company' | 'contact'; codeField: string; leadField?: string }
  | { entity: 'item'; entityTypeId: number; codeField: string; leadField?: string };

export interface CrmSettings {
  partner: PartnerSettings;
  lead: { titlePrefix: string; sourceId: string; assignedById?: number };
  calls: { userId?: number; lineNumber?: string; noAnswerStatusId: string };
  callSources: string[] | null;
}

export interface VoiceSettings {
  message: string;
  promotion?: string;
  voice?: string;
}

/** The SMS gateway's fields as typed; empty means "keep what is stored" (keys are write-only). */
export interface SmsKeys {
  apiId: string;
  login: string;
  password: string;
  apiKey: string;
  accountSid: string;
  authToken: string;
  from: string;
  sender: string;
}

/** What the form edits: the API's own shapes, so an issue's path names the field that shows it. */
export interface SettingsForm {
  tenant: TenantConfig;
  crm: {
    partnerEntity: 'company' | 'contact' | 'item';
    codeField: string;
    leadField: string;
    entityTypeId: number | null;
    titlePrefix: string;
    sourceId: string;
    assignedById: number | null;
    callsUserId: number | null;
    lineNumber: string;
    noAnswerStatusId: string;
    /** Empty: every source but Prozvon's own leads. */
    callSources: string[];
  };
  voice: { message: string; promotion: string; voice: string };
  telegram: { chatId: string; botToken: string };
  site: { origins: string[] };
  sms: { kind: SmsKind | 'none'; keys: SmsKeys };
}

const EMPTY_KEYS: SmsKeys = {
  apiId: '',
  login: '',
  password: '',
  apiKey: '',
  accountSid: '',
  authToken: '',
  from: '',
  sender: '',
};

/** The form's starting values: a deep copy of what the API said, nothing shared with the view. */
export function formFromView(view: SettingsView): SettingsForm {
  const { crm, voice, telegram, site, sms } = view.providers;
  const partner = crm.partner;
  return {
    tenant: structuredClone(view.tenant) as TenantConfig,
    crm: {
      partnerEntity: partner.entity,
      codeField: partner.codeField,
      leadField: partner.leadField ?? '',
      entityTypeId: partner.entity === 'item' ? partner.entityTypeId : null,
      titlePrefix: crm.lead.titlePrefix,
      sourceId: crm.lead.sourceId,
      assignedById: crm.lead.assignedById ?? null,
      callsUserId: crm.calls.userId ?? null,
      lineNumber: crm.calls.lineNumber ?? '',
      noAnswerStatusId: crm.calls.noAnswerStatusId,
      callSources: [...(crm.callSources ?? [])],
    },
    voice: { message: voice.message, promotion: voice.promotion ?? '', voice: voice.voice ?? '' },
    telegram: { chatId: telegram === undefined ? '' : String(telegram.chatId), botToken: '' },
    site: { origins: [...site.origins] },
    sms: { kind: sms?.kinds[0] ?? smsKindOf(view.secrets.sms.providers[0]?.kind), keys: { ...EMPTY_KEYS } },
  };
}

const KINDS: readonly string[] = ['smsru', 'smsc', 'twilio'];
function smsKindOf(kind: string | undefined): SmsKind | 'none' {
  return kind !== undefined && KINDS.includes(kind) ? (kind as SmsKind) : 'none';
}

const text = (value: string) => value.trim();
const optional = <K extends string>(key: K, value: string) =>
  (text(value) === '' ? {} : { [key]: text(value) }) as Partial<Record<K, string>>;
const optionalNumber = <K extends string>(key: K, value: number | null) =>
  (value === null ? {} : { [key]: value }) as Partial<Record<K, number>>;

/**
 * The `PUT /api/portal/settings` body for the form. Secrets go only when typed: an empty key field
 * keeps the stored one, and the stored ones are never in the page to send back. Choosing no SMS
 * gateway where the portal had its own removes it (the operator's default then serves).
 */
export function putBodyFrom(form: SettingsForm, view: SettingsView): Record<string, unknown> {
  const { crm } = form;
  const partner =
    crm.partnerEntity === 'item'
      ? {
          entity: 'item',
          entityTypeId: crm.entityTypeId ?? 0,
          codeField: text(crm.codeField),
          ...optional('leadField', crm.leadField),
        }
      : {
          entity: crm.partnerEntity,
          codeField: text(crm.codeField),
          ...optional('leadField', crm.leadField),
        };
  const tenant: Record<string, unknown> = { ...form.tenant, abuse: limitsFrom(form.tenant.abuse) };
  if (typeof tenant.shopPhone !== 'string' || tenant.shopPhone.trim() === '') delete tenant.shopPhone;
  const secrets: Record<string, unknown> = {};
  const sms = smsProvidersFrom(form.sms);
  if (sms !== undefined) secrets.smsProviders = [sms];
  else if (form.sms.kind === 'none' && view.secrets.sms.source === 'portal') secrets.smsProviders = null;
  if (text(form.telegram.botToken) !== '') secrets.telegramBotToken = text(form.telegram.botToken);
  const chatId = text(form.telegram.chatId);
  return {
    tenant,
    providers: {
      crm: {
        partner,
        lead: {
          titlePrefix: text(crm.titlePrefix),
          sourceId: text(crm.sourceId),
          ...optionalNumber('assignedById', crm.assignedById),
        },
        calls: {
          noAnswerStatusId: text(crm.noAnswerStatusId),
          ...optionalNumber('userId', crm.callsUserId),
          ...optional('lineNumber', crm.lineNumber),
        },
        callSources: crm.callSources.length === 0 ? null : crm.callSources.map(text),
      },
      voice: {
        message: text(form.voice.message),
        ...optional('promotion', form.voice.promotion),
        ...optional('voice', form.voice.voice),
      },
      telegram: chatId === '' ? null : { chatId: /^-?\d{1,20}$/.test(chatId) ? Number(chatId) : chatId },
      site: { origins: form.site.origins.map(text) },
    },
    ...(Object.keys(secrets).length === 0 ? {} : { secrets }),
  };
}

/** An emptied limit field is "no limit" (null), as the page says; a number input gives undefined or NaN. */
function limitsFrom(abuse: SettingsForm['tenant']['abuse']): Record<string, number | null> {
  return Object.fromEntries(
    Object.entries(abuse).map(([key, value]) => [
      key,
      typeof value === 'number' && Number.isFinite(value) ? value : null,
    ]),
  );
}

/** The gateway's settings when its keys were typed (all of them: the secret is stored whole). */
function smsProvidersFrom(sms: SettingsForm['sms']): { kind: SmsKind; config: unknown } | undefined {
  const k = sms.keys;
  const typed = Object.values(k).some((value) => text(value) !== '');
  if (sms.kind === 'none' || !typed) return undefined;
  const sender = optional('sender', k.sender);
  switch (sms.kind) {
    case 'smsru':
      return { kind: 'smsru', config: { apiId: text(k.apiId), ...sender } };
    case 'smsc':
      return {
        kind: 'smsc',
        config: {
          credentials:
            text(k.apiKey) !== ''
              ? { apiKey: text(k.apiKey) }
              : { login: text(k.login), password: text(k.password) },
          ...sender,
        },
      };
    case 'twilio':
      return {
        kind: 'twilio',
        config: { accountSid: text(k.accountSid), authToken: text(k.authToken), ...optional('from', k.from) },
      };
  }
}

/**
 * The API's issues by the form field that shows them. The form's names are the API's paths, except
 * where the form is flatter than the body (the CRM section, the SMS gateway's keys).
 */
export function fieldErrors(issues: readonly ApiIssue[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const field = formFieldOf(issue.path);
    errors[field] ??= issue.message;
  }
  return errors;
}

const CRM_FIELDS: Record<string, string> = {
  'providers.crm.partner.entity': 'crm.partnerEntity',
  'providers.crm.partner.codeField': 'crm.codeField',
  'providers.crm.partner.leadField': 'crm.leadField',
  'providers.crm.partner.entityTypeId': 'crm.entityTypeId',
  'providers.crm.lead.titlePrefix': 'crm.titlePrefix',
  'providers.crm.lead.sourceId': 'crm.sourceId',
  'providers.crm.lead.assignedById': 'crm.assignedById',
  'providers.crm.calls.userId': 'crm.callsUserId',
  'providers.crm.calls.lineNumber': 'crm.lineNumber',
  'providers.crm.calls.noAnswerStatusId': 'crm.noAnswerStatusId',
};

export function formFieldOf(path: string): string {
  const crm = Object.entries(CRM_FIELDS).find(([api]) => path === api || path.startsWith(`${api}.`));
  if (crm !== undefined) return crm[1];
  if (path.startsWith('providers.crm.callSources')) return 'crm.callSources';
  if (path.startsWith('providers.voice.')) return path.replace('providers.', '');
  if (path.startsWith('providers.telegram')) return 'telegram.chatId';
  if (path.startsWith('providers.site.origins')) return 'site.origins';
  if (path === 'secrets.telegramBotToken') return 'telegram.botToken';
  const sms = /^secrets\.smsProviders(?:\.\d+)?(?:\.config)?(?:\.credentials)?\.?(\w*)/.exec(path);
  if (sms !== null) return sms[1] === '' || sms[1] === 'kind' ? 'sms.kind' : `sms.keys.${sms[1]}`;
  // Array members (`tenant.phone.allowedCountries.2`) show on their list's field.
  return path.replace(/\.\d+$/, '');
}

/** The error a field shows: its own, or one of a part of it (a weekday's `to`, a list's member). */
export function errorOf(errors: Readonly<Record<string, string>>, field: string): string | undefined {
  if (errors[field] !== undefined) return errors[field];
  const prefix = `${field}.`;
  const nested = Object.keys(errors).find((key) => key.startsWith(prefix));
  return nested === undefined ? undefined : errors[nested];
}
