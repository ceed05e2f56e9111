/** One value of a multifield (PHONE, EMAIL, …) as the portal reads it back. */
export interface MultiValue {
  ID: string;
  VALUE_TYPE: string;
  VALUE: string;
  TYPE_ID: string;
}

// What the portal assumes when a client sends no VALUE_TYPE (unverified; WORK is the UI default).
const DEFAULT_VALUE_TYPE: Record<string, string> = { IM: 'OTHER' };

/** Clients send a list, or (forms, PHP) an object keyed `0`, `n0`, …: both are a list of items. */
function items(input: unknown): Record<string, unknown>[] {
  const list = Array.isArray(input) ? input : typeof input === 'object' && input ? Object.values(input) : [];
  return list.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null);
}

const text = (v: unknown) => (v === undefined || v === null ? '' : String(v).trim());

/**
 * Applies a multifield write, BITRIX24.md §4.1: an item without ID is added (existing values
 * kept); `{ID, VALUE}` edits; `{ID, DELETE:'Y'}`, `{ID, VALUE:''}` or `{ID}` alone deletes.
 * Items with an unknown ID are ignored, as the portal does.
 */
export function applyMultifield(
  current: readonly MultiValue[],
  input: unknown,
  typeId: string,
  nextId: () => number,
): MultiValue[] {
  const result = current.map((value) => ({ ...value }));
  for (const item of items(input)) {
    const id = text(item.ID);
    const value = text(item.VALUE);
    if (id === '') {
      if (value === '') continue;
      result.push({
        ID: String(nextId()),
        VALUE_TYPE: text(item.VALUE_TYPE) || (DEFAULT_VALUE_TYPE[typeId] ?? 'WORK'),
        VALUE: value,
        TYPE_ID: typeId,
      });
      continue;
    }
    const index = result.findIndex((existing) => existing.ID === id);
    const existing = result[index];
    if (existing === undefined) continue;
    if (text(item.DELETE).toUpperCase() === 'Y' || value === '') result.splice(index, 1);
    else {
      existing.VALUE = value;
      if (text(item.VALUE_TYPE) !== '') existing.VALUE_TYPE = text(item.VALUE_TYPE);
    }
  }
  return result;
}
