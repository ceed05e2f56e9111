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

/**
 * Text that is safe to store and pass on: trimmed, well-formed Unicode (a lone surrogate made
 * `encodeURIComponent` throw inside the CRM batcher and fail other leads' writes), free of control
 * characters, and NFC, so a name typed with combining marks is the same name as the precomposed one
 * and the length limit counts what a person sees. A multi-line field (the comment) keeps its line
 * breaks and tabs, with CRLF and CR made LF (an HTML form sends a textarea's lines as CRLF).
 */
function cleanText(options: { multiline: boolean }) {
  const text = z.string({ error: stringError }).trim();
  const lines = options.multiline ? text.overwrite((value) => value.replace(/\r\n?/g, '\n')) : text;
  return lines
    .refine((value) => value.isWellFormed(), {
      error: 'Not well-formed Unicode (a lone surrogate)',
      abort: true,
    })
    .superRefine((value, context) => {
      const control = firstControl(value, options.multiline);
      if (control !== undefined)
        context.addIssue({
          code: 'custom',
          message: `Contains a control character (${control})`,
          continue: false,
        });
    })
    .normalize('NFC');
}

/** C0, DEL and C1 (Unicode's `Cc`), as `U+XXXX`; a multi-line field may hold LF and TAB. */
function firstControl(value: string, multiline: boolean): string | undefined {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    const isControl = code <= 0x1f || (code >= 0x7f && code <= 0x9f);
    if (!isControl || (multiline && (code === 0x0a || code === 0x09))) continue;
    return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return undefined;
}

/** A required one-line string: clean (above), not empty, at most `max` characters. */
export function requiredText(max: number) {
  return cleanText({ multiline: false }).min(1, 'Required').max(max, `At most ${max} characters`);
}

/** An optional string: clean (above), blank → absent, at most `max` characters. */
export function optionalText(max: number, options: { multiline: boolean } = { multiline: false }) {
  return z.preprocess(blankToUndefined, cleanText(options).max(max, `At most ${max} characters`).optional());
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
