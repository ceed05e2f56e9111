import { isoWithOffset, parseDate } from '../dates.js';
import type { FieldDef } from './field-types.js';

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * Turns what a client wrote into what the portal reads back: every scalar a string (`"ID":"123"`,
 * `"OPPORTUNITY":"0.00"`), Y/N flags, dates with the portal's offset, null for empty.
 */
export function normalizeScalar(def: FieldDef, value: unknown, offsetMinutes: number): string | null {
  if (blank(value)) return def.type === 'double' ? '0.00' : null;
  switch (def.type) {
    case 'integer':
    case 'user':
    case 'crm_company':
    case 'crm_contact': {
      const n = Number(value);
      return Number.isFinite(n) ? String(Math.trunc(n)) : null;
    }
    case 'double': {
      const n = Number(value);
      return Number.isFinite(n) ? n.toFixed(2) : '0.00';
    }
    case 'char': {
      const v = String(value).toUpperCase();
      return v === 'Y' || v === '1' || v === 'TRUE' ? 'Y' : 'N';
    }
    case 'date':
    case 'datetime': {
      const ms = parseDate(value);
      if (ms === undefined) return null;
      return def.type === 'date'
        ? isoWithOffset(ms, offsetMinutes).slice(0, 10)
        : isoWithOffset(ms, offsetMinutes);
    }
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

/** A UF value: a string, or a list of strings for a multiple field. */
export function normalizeUserField(multiple: boolean, value: unknown): string | string[] | null {
  if (multiple) {
    const list = Array.isArray(value) ? value : blank(value) ? [] : [value];
    return list.filter((v) => !blank(v)).map(String);
  }
  if (Array.isArray(value)) return blank(value[0]) ? null : String(value[0]);
  return blank(value) ? null : String(value);
}
