import type { z } from 'zod';

/** One bad field: where it is (`phone.allowedCountries[1]`) and what was expected. */
export interface SettingsIssue {
  readonly field: string;
  readonly message: string;
}

/**
 * Settings a package was given are wrong: thrown when it is set up (createProzvon, an adapter's
 * factory, a store's constructor), never at the first lead. The message has one line per bad
 * field, each naming the package and the field — `@prozvon/adapters-bitrix24: auth.url: Must be
 * an https:// URL` — and never a value, since a field may be a password or a token. The zod error
 * is not kept as `cause`: Node would print it, many lines of JSON, under the message.
 */
export class SettingsError extends TypeError {
  readonly code = 'invalid_settings';
  /** The package (and part) whose settings these are, e.g. `@prozvon/adapters-sms (SMS.ru)`. */
  readonly source: string;
  readonly issues: readonly SettingsIssue[];

  constructor(source: string, issues: readonly SettingsIssue[]) {
    super(issues.map((issue) => `${source}: ${issue.field}: ${issue.message}`).join('\n'));
    this.name = 'SettingsError';
    this.source = source;
    this.issues = issues;
  }
}

/**
 * Parses settings with `schema`, or throws a SettingsError naming `source` and every bad field.
 * `at` is where the settings sit in what the caller wrote (`config` for createProzvon's), so a
 * field reads as the caller spelt it: `config.phone.defaultCountry`.
 */
export function parseSettings<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  source: string,
  at?: string,
): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw formatSettingsError(source, parsed.error, at);
}

/** A zod error about settings as a SettingsError: one line per issue, the package and field named. */
export function formatSettingsError(source: string, error: z.ZodError, at?: string): SettingsError {
  return new SettingsError(
    source,
    error.issues.map((issue) => ({ field: fieldName(at, issue.path), message: describeIssue(issue) })),
  );
}

function fieldName(at: string | undefined, path: readonly PropertyKey[]): string {
  let name = at ?? '';
  for (const key of path) {
    if (typeof key === 'number') name += `[${key}]`;
    else name += name === '' ? String(key) : `.${String(key)}`;
  }
  return name === '' ? '(settings)' : name;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  // A union none of whose branches fit says only "Invalid input". A branch whose type matched
  // failed on what the caller meant (a chat id's format), so it speaks; else, the types expected.
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const firsts = issue.errors.flatMap((branch) => (branch[0] === undefined ? [] : [branch[0]]));
    const wrongType = (first: z.core.$ZodIssue) => first.code === 'invalid_type' && first.path.length === 0;
    const matched = firsts.filter((first) => !wrongType(first));
    if (matched.length > 0) return [...new Set(matched.map(describeIssue))].join(' or ');
    return `expected ${[...new Set(firsts.map((first) => (first.code === 'invalid_type' ? first.expected : '?')))].join(' or ')}`;
  }
  if (issue.code === 'invalid_type') {
    // "Invalid input: expected string, received undefined" is a field left out.
    if (issue.message.endsWith('received undefined')) return `required (expected ${issue.expected})`;
    return issue.message.replace(/^Invalid input: /, '');
  }
  return issue.message;
}
