import { z } from 'zod';

/**
 * Shop forms send `""` or `null` for a field the customer left empty; both mean "not given",
 * so they become `undefined` rather than an error or a stored empty string.
 */
function blankToUndefined(value: unknown): unknown {
  if (value === null) return undefined;
  if (typeof value === 'string' && value.trim() === '') return undefined;
  return value;
}

const stringError = (issue: { input?: unknown }) =>
  issue.input === undefined ? 'Required' : `Expected a string, received ${describe(issue.input)}`;

/** A required string: trimmed, not empty, at most `max` characters. */
export function requiredText(max: number) {
  return z.string({ error: stringError }).trim().min(1, 'Required').max(max, `At most ${max} characters`);
}

/** An optional string: trimmed, blank → absent, at most `max` characters. */
export function optionalText(max: number) {
  return z.preprocess(
    blankToUndefined,
    z.string({ error: stringError }).trim().max(max, `At most ${max} characters`).optional(),
  );
}

/** Wraps any optional schema so that `null` and blank strings count as "not given". */
export function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess(blankToUndefined, schema.optional());
}

/** Zod refuses NaN and ±Infinity as "not a number"; say what is really wrong with them. */
export const numberError = (issue: { input?: unknown }) =>
  typeof issue.input === 'number'
    ? 'Must be a finite number'
    : `Expected a number, received ${describe(issue.input)}`;

export function describe(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  return typeof input;
}
