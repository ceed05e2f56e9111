import { legacyError, RestError } from '../errors.js';
import type { Params } from './types.js';

/** Param keys are case-sensitive in the portal, but clients write `ID` or `id` for the same thing. */
export function param(params: Params, ...names: string[]): unknown {
  for (const name of names) {
    if (params[name] !== undefined) return params[name];
  }
  return undefined;
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A positive integer id; legacy CRM wording on failure. */
export function requireId(params: Params): number {
  const raw = param(params, 'id', 'ID');
  const id =
    typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isInteger(id) || id <= 0) throw legacyError('ID is not defined or invalid.');
  return id;
}

/** `fields` must be an object (PHP: "must be array"). */
export function requireFields(params: Params, name = 'fields'): Record<string, unknown> {
  const fields = asRecord(params[name]);
  if (fields === undefined) throw legacyError(`Parameter '${name}' must be array.`);
  return fields;
}

export function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  const record = asRecord(value);
  if (record) return Object.values(record).map(String);
  return typeof value === 'string' && value !== '' ? [value] : [];
}

export function coreError(description: string, status = 400): RestError {
  return new RestError(status, 'ERROR_CORE', description);
}
