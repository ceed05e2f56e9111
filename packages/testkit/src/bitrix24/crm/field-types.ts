/** One field of a CRM entity as `crm.<entity>.fields` describes it. */
export interface FieldDef {
  type: string;
  title: string;
  isReadOnly?: boolean;
  isRequired?: boolean;
  isImmutable?: boolean;
  isMultiple?: boolean;
  /** For `crm_status` fields: the directory (`STATUS`, `SOURCE`, `COMPANY_TYPE`…). */
  statusType?: string;
}

export type FieldDefs = Readonly<Record<string, FieldDef>>;

export const MULTIFIELDS = ['PHONE', 'EMAIL', 'WEB', 'IM', 'LINK'] as const;

const str = (title: string): FieldDef => ({ type: 'string', title });
const ro = (type: string, title: string): FieldDef => ({ type, title, isReadOnly: true });
const multi = (title: string): FieldDef => ({ type: 'crm_multifield', title, isMultiple: true });

/** Fields every CRM entity of §4 carries. */
export const COMMON_FIELDS: FieldDefs = {
  ID: ro('integer', 'ID'),
  ASSIGNED_BY_ID: { type: 'user', title: 'Responsible person' },
  CREATED_BY_ID: ro('user', 'Created by'),
  MODIFY_BY_ID: ro('user', 'Modified by'),
  DATE_CREATE: ro('datetime', 'Created on'),
  DATE_MODIFY: ro('datetime', 'Modified on'),
  OPENED: { type: 'char', title: 'Available to everyone' },
  COMMENTS: str('Comment'),
  ORIGINATOR_ID: str('External source'),
  ORIGIN_ID: str('Item ID in data source'),
  UTM_SOURCE: str('Ad system'),
  UTM_MEDIUM: str('Traffic type'),
  UTM_CAMPAIGN: str('Ad campaign UTM'),
  UTM_CONTENT: str('Campaign contents'),
  UTM_TERM: str('Campaign search term'),
  HAS_PHONE: ro('char', 'Has phone'),
  HAS_EMAIL: ro('char', 'Has email'),
  ADDRESS: str('Street address'),
  ADDRESS_2: str('Address (line 2)'),
  ADDRESS_CITY: str('City'),
  ADDRESS_POSTAL_CODE: str('Zip'),
  ADDRESS_REGION: str('Region'),
  ADDRESS_PROVINCE: str('State / Province'),
  ADDRESS_COUNTRY: str('Country'),
  ADDRESS_COUNTRY_CODE: str('Country code'),
  PHONE: multi('Phone'),
  EMAIL: multi('E-mail'),
  WEB: multi('Website'),
  IM: multi('Messenger'),
  LINK: multi('Link'),
};

export const LEAD_FIELDS: FieldDefs = {
  ...COMMON_FIELDS,
  TITLE: str('Lead name'),
  HONORIFIC: { type: 'crm_status', title: 'Salutation', statusType: 'HONORIFIC' },
  NAME: str('First name'),
  SECOND_NAME: str('Second name'),
  LAST_NAME: str('Last name'),
  BIRTHDATE: { type: 'date', title: 'Date of birth' },
  COMPANY_TITLE: str('Company name'),
  SOURCE_ID: { type: 'crm_status', title: 'Source', statusType: 'SOURCE' },
  SOURCE_DESCRIPTION: str('Source information'),
  STATUS_ID: { type: 'crm_status', title: 'Status', statusType: 'STATUS' },
  STATUS_DESCRIPTION: str('Status information'),
  STATUS_SEMANTIC_ID: ro('string', 'Status details'),
  POST: str('Position'),
  CURRENCY_ID: { type: 'crm_currency', title: 'Currency' },
  OPPORTUNITY: { type: 'double', title: 'Amount' },
  IS_MANUAL_OPPORTUNITY: { type: 'char', title: 'IS_MANUAL_OPPORTUNITY' },
  COMPANY_ID: { type: 'crm_company', title: 'Company' },
  CONTACT_ID: { type: 'crm_contact', title: 'Contact' },
  IS_RETURN_CUSTOMER: ro('char', 'Repeat lead'),
  DATE_CLOSED: ro('datetime', 'Date closed'),
  MOVED_BY_ID: ro('user', 'Moved by'),
  MOVED_TIME: ro('datetime', 'Moved on'),
};

export const COMPANY_FIELDS: FieldDefs = {
  ...COMMON_FIELDS,
  TITLE: { type: 'string', title: 'Company name', isRequired: true },
  COMPANY_TYPE: { type: 'crm_status', title: 'Company type', statusType: 'COMPANY_TYPE' },
  INDUSTRY: { type: 'crm_status', title: 'Industry', statusType: 'INDUSTRY' },
  EMPLOYEES: { type: 'crm_status', title: 'Employees', statusType: 'EMPLOYEES' },
  CURRENCY_ID: { type: 'crm_currency', title: 'Currency' },
  REVENUE: { type: 'double', title: 'Annual revenue' },
};

export const CONTACT_FIELDS: FieldDefs = {
  ...COMMON_FIELDS,
  HONORIFIC: { type: 'crm_status', title: 'Salutation', statusType: 'HONORIFIC' },
  NAME: str('First name'),
  SECOND_NAME: str('Second name'),
  LAST_NAME: str('Last name'),
  POST: str('Position'),
  TYPE_ID: { type: 'crm_status', title: 'Contact type', statusType: 'CONTACT_TYPE' },
  SOURCE_ID: { type: 'crm_status', title: 'Source', statusType: 'SOURCE' },
  SOURCE_DESCRIPTION: str('Source information'),
  COMPANY_ID: { type: 'crm_company', title: 'Company' },
  BIRTHDATE: { type: 'date', title: 'Date of birth' },
};
