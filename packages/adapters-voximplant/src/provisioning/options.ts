import { z } from 'zod';

const isFunction = (value: unknown): value is (...args: never[]) => unknown => typeof value === 'function';

/** A number that may come straight from the environment or a form as digits. */
const accountId = z.union([
  z.number().int().positive(),
  z.string().trim().regex(/^\d+$/, 'expected a positive integer').transform(Number),
]);

/**
 * What `provisionVoximplant` needs. The limits are the documented ones: AddApplication's short name
 * `[a-z][a-z0-9-]{1,64}`, a scenario name "less than 30", a rule name "less than 100", a script
 * "less than 128 KB", a rule pattern "less than 64 KB" (voximplant.com/docs/references/httpapi).
 */
export const ProvisionOptions = z.object({
  accountId,
  keyId: z.string().min(1),
  /** The service account key's RSA private key (PEM), or a KeyObject made from it. */
  privateKey: z.union([
    z.string().includes('PRIVATE KEY', { error: 'expected a PEM private key' }),
    z.custom<import('node:crypto').KeyObject>(
      (v) => typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'private',
      { error: 'expected a PEM private key or a private KeyObject' },
    ),
  ]),
  apiBase: z.url({ protocol: /^https?$/ }).optional(),
  /** The short name; Voximplant answers `<name>.<account>.voximplant.com`. */
  applicationName: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,64}$/, 'expected 2–65 of a-z, 0-9 and "-", starting with a letter')
    .default('prozvon'),
  scenarioName: z.string().min(1).max(29),
  scenarioSource: z
    .string()
    .min(1)
    .refine((text) => Buffer.byteLength(text) < 128 * 1024, {
      error: 'longer than the 128 KB Voximplant takes',
    }),
  ruleName: z.string().min(1).max(99),
  rulePattern: z
    .string()
    .min(1)
    .refine((text) => Buffer.byteLength(text) < 64 * 1024, { error: 'longer than 64 KB' })
    .default('.*'),
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
  /** Per request; default the client's 10 s. */
  timeoutMs: z.number().int().positive().optional(),
  fetch: z.custom<typeof fetch>(isFunction).optional(),
  now: z.custom<() => number>(isFunction).optional(),
});
export type ProvisionVoximplantOptions = z.input<typeof ProvisionOptions>;

export interface VoximplantProvisioning {
  readonly applicationId: number;
  /** The full name, `<name>.<account>.voximplant.com`. */
  readonly applicationName: string;
  readonly scenarioId: number;
  /** What `createVoximplantVoice` takes as `ruleId`. */
  readonly ruleId: number;
  /** What this run wrote; all false when the account was already set up as asked. */
  readonly changed: { readonly application: boolean; readonly scenario: boolean; readonly rule: boolean };
}
