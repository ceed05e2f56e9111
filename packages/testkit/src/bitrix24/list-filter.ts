/**
 * The v2 list filter (`crm.lead.list`, `crm.company.list`, `crm.status.list`, …): a key carries an
 * operator prefix, BITRIX24.md §4.1. String comparisons ignore case, as MySQL's default collation
 * on the portal does (so `=UF_CRM_REF: 'P-42'` finds `p-42`).
 */

type Op = 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'nin' | 'has' | 'nhas' | 'like' | 'nlike';

// Longest prefixes first, so `!=%` is not read as `!=` + a field named `%X`.
const PREFIXES: readonly [string, Op][] = [
  ['!=%', 'nlike'],
  ['!%=', 'nlike'],
  ['>=', 'gte'],
  ['<=', 'lte'],
  ['!=', 'neq'],
  ['!@', 'nin'],
  ['=%', 'like'],
  ['%=', 'like'],
  ['!%', 'nhas'],
  ['=', 'eq'],
  ['!', 'neq'],
  ['>', 'gt'],
  ['<', 'lt'],
  ['@', 'in'],
  ['%', 'has'],
];

export interface Condition {
  field: string;
  op: Op;
  value: unknown;
  /** The portal's offset (minutes east of UTC) for dates written without one; see `asDate`. */
  zone?: number;
}

/** Reads a value of a row; multifields return every VALUE, so a condition matches any of them. */
export type FieldReader = (row: Record<string, unknown>, field: string) => unknown;

/**
 * `offsetMinutes` is the portal's zone: a date in the filter without an offset
 * (`'>DATE_CREATE': '2026-12-07T08:00:00'`, the docs' own style) is the portal's wall-clock time,
 * not this process's. Without it dates are read as `Date.parse` does (the process's zone).
 */
export function parseFilter(filter: unknown, offsetMinutes?: number): Condition[] {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) return [];
  const conditions: Condition[] = [];
  for (const [key, value] of Object.entries(filter)) {
    const prefix = PREFIXES.find(([p]) => key.startsWith(p));
    let op: Op = prefix ? prefix[1] : 'eq';
    const field = prefix ? key.slice(prefix[0].length) : key;
    // `=` / `!=` with a list mean IN / NOT IN, as in the portal.
    if (Array.isArray(value) && op === 'eq') op = 'in';
    if (Array.isArray(value) && op === 'neq') op = 'nin';
    conditions.push(
      offsetMinutes === undefined ? { field, op, value } : { field, op, value, zone: offsetMinutes },
    );
  }
  return conditions;
}

const isBlank = (v: unknown) => v === null || v === undefined || v === '' || v === false;

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

/** A date, or a date and time, with no offset or `Z`: wall-clock time somewhere. */
const LOCAL_DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?$/;

function asDate(v: unknown, zone: number | undefined): number | undefined {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(v)) return undefined;
  const local = zone === undefined ? null : LOCAL_DATE.exec(v.trim());
  if (local !== null && zone !== undefined) {
    // Read as UTC wall-clock, then move it by the portal's offset.
    const ms = Date.parse(`${local[1]}T${local[2] ?? '00:00'}Z`);
    return Number.isNaN(ms) ? undefined : ms - zone * 60_000;
  }
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * -1, 0, 1: numbers as numbers, ISO dates as instants, the rest as case-folded strings. `zone`:
 * the portal's offset for dates written without one.
 */
export function compareValues(a: unknown, b: unknown, zone?: number): number {
  if (isBlank(a) || isBlank(b)) return isBlank(a) === isBlank(b) ? 0 : isBlank(a) ? -1 : 1;
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== undefined && nb !== undefined) return Math.sign(na - nb);
  const da = asDate(a, zone);
  const db = asDate(b, zone);
  if (da !== undefined && db !== undefined) return Math.sign(da - db);
  const sa = String(a).toLowerCase();
  const sb = String(b).toLowerCase();
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function likeToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${escaped}$`, 'is');
}

function matchOne(actual: unknown, op: Op, expected: unknown, zone: number | undefined): boolean {
  const list = Array.isArray(expected) ? expected : [expected];
  const compare = (x: unknown, y: unknown) => compareValues(x, y, zone);
  switch (op) {
    case 'eq':
      return compare(actual, expected) === 0;
    case 'neq':
      return compare(actual, expected) !== 0;
    case 'gt':
      return !isBlank(actual) && compare(actual, expected) > 0;
    case 'gte':
      return !isBlank(actual) && compare(actual, expected) >= 0;
    case 'lt':
      return !isBlank(actual) && compare(actual, expected) < 0;
    case 'lte':
      return !isBlank(actual) && compare(actual, expected) <= 0;
    case 'in':
      return list.some((item) => compare(actual, item) === 0);
    case 'nin':
      return !list.some((item) => compare(actual, item) === 0);
    case 'has':
      return !isBlank(actual) && String(actual).toLowerCase().includes(String(expected).toLowerCase());
    case 'nhas':
      return isBlank(actual) || !String(actual).toLowerCase().includes(String(expected).toLowerCase());
    case 'like':
      return !isBlank(actual) && likeToRegExp(String(expected)).test(String(actual));
    case 'nlike':
      return isBlank(actual) || !likeToRegExp(String(expected)).test(String(actual));
  }
}

const NEGATIVE: ReadonlySet<Op> = new Set(['neq', 'nin', 'nhas', 'nlike']);

export function matches(
  row: Record<string, unknown>,
  conditions: readonly Condition[],
  read: FieldReader,
): boolean {
  for (const { field, op, value, zone } of conditions) {
    const actual = read(row, field);
    if (Array.isArray(actual)) {
      // A multifield: positive conditions need one matching value, negative ones need all.
      const ok = NEGATIVE.has(op)
        ? actual.every((item) => matchOne(item, op, value, zone))
        : actual.some((item) => matchOne(item, op, value, zone));
      if (!ok) return false;
    } else if (!matchOne(actual, op, value, zone)) return false;
  }
  return true;
}

/** `order: { DATE_CREATE: 'DESC', ID: 'ASC' }` → a comparator; ID ascending when none is given. */
export function orderComparator(
  order: unknown,
  read: FieldReader,
  idField: string,
): (a: Record<string, unknown>, b: Record<string, unknown>) => number {
  const keys: [string, number][] = [];
  if (typeof order === 'object' && order !== null && !Array.isArray(order)) {
    for (const [field, direction] of Object.entries(order)) {
      keys.push([field, String(direction).toUpperCase() === 'DESC' ? -1 : 1]);
    }
  }
  if (keys.length === 0) keys.push([idField, 1]);
  return (a, b) => {
    for (const [field, sign] of keys) {
      const c = compareValues(read(a, field), read(b, field));
      if (c !== 0) return c * sign;
    }
    return 0;
  };
}

export const PAGE_SIZE = 50;

/**
 * 50-row pages: `start` is the offset; the answer has `total` and `next` (absent on the last page).
 * `start = -1` skips the count: no `total`, no `next` (BITRIX24.md §4.1, the fast path).
 */
export function paginate<T>(
  rows: readonly T[],
  startParam: unknown,
): { page: T[]; total?: number; next?: number } {
  const start = Number(startParam ?? 0);
  if (start === -1) return { page: rows.slice(0, PAGE_SIZE) };
  const offset = Number.isInteger(start) && start > 0 ? start : 0;
  const page = rows.slice(offset, offset + PAGE_SIZE);
  const next = offset + PAGE_SIZE < rows.length ? offset + PAGE_SIZE : undefined;
  return next === undefined ? { page, total: rows.length } : { page, total: rows.length, next };
}
