import { SettingsError, type SettingsIssue } from './settings-error.js';

/** An environment as `process.env` has it. */
export type Env = Readonly<Record<string, string | undefined>>;

export interface EnvReader {
  /** The variable's value, trimmed; a missing or empty one is noted and `''` returned. */
  need(name: string): string;
  /** The variable's value, trimmed, or undefined when it is unset or empty. */
  optional(name: string): string | undefined;
  /** Whether the variable is set (non-empty). */
  has(name: string): boolean;
  /** Notes a problem with a variable, for the one error `done` throws. */
  fail(name: string, message: string): void;
  /** Throws one SettingsError naming every missing variable, or returns `value`. */
  done<T>(value: T): T;
}

/**
 * Reads an adapter's settings from environment variables (the `…FromEnv` helpers of the adapters).
 * Every missing variable is collected, so one start names them all: `@prozvon/adapters-sms:
 * SMSRU_API_ID: not set`. Values are never in a message (a variable may hold a key).
 */
export function envReader(source: string, env: Env): EnvReader {
  const issues: SettingsIssue[] = [];
  const optional = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  return {
    need(name) {
      const value = optional(name);
      if (value === undefined) issues.push({ field: name, message: 'not set' });
      return value ?? '';
    },
    optional,
    has: (name) => optional(name) !== undefined,
    fail(name, message) {
      issues.push({ field: name, message });
    },
    done(value) {
      if (issues.length > 0) throw new SettingsError(source, issues);
      return value;
    },
  };
}
