/** A custom field (`UF_CRM_*`) of one CRM entity, as `crm.<entity>.userfield.add` creates it. */
export interface UserFieldDef {
  ID: string;
  ENTITY_ID: string;
  FIELD_NAME: string;
  USER_TYPE_ID: string;
  MULTIPLE: 'Y' | 'N';
  MANDATORY: 'Y' | 'N';
  LABEL: string;
}

/**
 * The portal prefixes `UF_CRM_` (`PROZVON_REF` → `UF_CRM_PROZVON_REF`, `UF_X` → `UF_CRM_X`),
 * upper-cases, and allows `A-Z0-9_` up to 50 characters (BITRIX24.md §4.2). Undefined if invalid.
 */
export function userFieldName(raw: string): string | undefined {
  let name = raw.trim().toUpperCase();
  if (name.startsWith('UF_CRM_')) name = name.slice('UF_CRM_'.length);
  else if (name.startsWith('UF_')) name = name.slice('UF_'.length);
  const full = `UF_CRM_${name}`;
  return name !== '' && /^[A-Z0-9_]+$/.test(name) && full.length <= 50 ? full : undefined;
}

/** The `crm.<entity>.fields` entry of a custom field. */
export function userFieldDescription(def: UserFieldDef): Record<string, unknown> {
  return {
    type: def.USER_TYPE_ID,
    isRequired: def.MANDATORY === 'Y',
    isReadOnly: false,
    isImmutable: false,
    isMultiple: def.MULTIPLE === 'Y',
    isDynamic: true,
    title: def.FIELD_NAME,
    listLabel: def.LABEL,
    formLabel: def.LABEL,
    filterLabel: def.LABEL,
  };
}
