import type { EntityStore } from '../crm/entity-store.js';
import { type UserFieldDef, userFieldName } from '../crm/user-fields.js';
import { legacyError } from '../errors.js';
import { matches, parseFilter } from '../list-filter.js';
import type { Portal } from '../portal.js';
import { coreError, requireFields } from './params.js';
import type { MethodTable } from './types.js';

const TYPES = new Set([
  'string',
  'integer',
  'double',
  'boolean',
  'datetime',
  'date',
  'money',
  'url',
  'address',
  'enumeration',
  'file',
  'employee',
  'crm_status',
  'iblock_section',
  'iblock_element',
  'crm',
]);

function listRow(def: UserFieldDef): Record<string, unknown> {
  return {
    ...def,
    XML_ID: null,
    SORT: '100',
    SHOW_FILTER: 'N',
    SHOW_IN_LIST: 'Y',
    EDIT_IN_LIST: 'Y',
    IS_SEARCHABLE: 'N',
    SETTINGS: {},
  };
}

const read = (row: Record<string, unknown>, field: string) => row[field.toUpperCase()];

/**
 * `crm.<entity>.userfield.add/list` (§4.2): the portal prefixes `UF_CRM_`, upper-cases, allows
 * A-Z0-9_ up to 50 characters. The text for an existing name is unverified.
 */
function userFieldMethods(entity: string, store: (portal: Portal) => EntityStore): MethodTable {
  return {
    [`crm.${entity}.userfield.add`]: {
      scope: 'crm',
      handle(params, ctx) {
        const fields = requireFields(params);
        if (fields.FIELD_NAME === undefined || fields.FIELD_NAME === '') {
          throw legacyError("The 'FIELD_NAME' field is not found.");
        }
        const name = userFieldName(String(fields.FIELD_NAME));
        if (name === undefined) throw coreError('Invalid field name.');
        const type = String(fields.USER_TYPE_ID ?? 'string');
        if (!TYPES.has(type)) throw coreError(`Unknown user type "${type}".`);
        const target = store(ctx.portal);
        if (target.userFields.has(name)) throw coreError(`Field "${name}" already exists.`);
        const label = typeof fields.LABEL === 'string' ? fields.LABEL : name;
        const def = ctx.portal.addUserField(target, name, type, fields.MULTIPLE === 'Y', label);
        if (fields.MANDATORY === 'Y') def.MANDATORY = 'Y';
        return { result: Number(def.ID) };
      },
    },
    [`crm.${entity}.userfield.list`]: {
      scope: 'crm',
      handle(params, ctx) {
        const conditions = parseFilter(params.filter);
        const rows = [...store(ctx.portal).userFields.values()].map(listRow);
        return { result: rows.filter((row) => matches(row, conditions, read)) };
      },
    },
  };
}

export const userFieldMethodTable: MethodTable = {
  ...userFieldMethods('lead', (portal) => portal.leads),
  ...userFieldMethods('company', (portal) => portal.companies),
  ...userFieldMethods('contact', (portal) => portal.contacts),
};
