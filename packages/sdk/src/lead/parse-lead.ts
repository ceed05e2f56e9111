import type { z } from 'zod';
import { type Lead, leadInputSchema } from './lead-schema.js';

/** One bad field: `path` is dotted (`items.2.qty`), or empty for the body itself. */
export interface LeadIssue {
  readonly path: string;
  readonly message: string;
}

/** Every problem of a refused lead at once, so a shop developer fixes them in one round. */
export class InvalidLeadError extends Error {
  readonly code = 'invalid_lead';
  constructor(readonly issues: readonly LeadIssue[]) {
    super(`Invalid lead: ${issues.map((issue) => `${issue.path || '(body)'}: ${issue.message}`).join('; ')}`);
    this.name = 'InvalidLeadError';
  }
}

export type ParseLeadResult = { ok: true; lead: Lead } | { ok: false; error: InvalidLeadError };

/** Validates and normalises an intake body of unknown shape. Never throws for any input. */
export function parseLead(body: unknown): ParseLeadResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: new InvalidLeadError([{ path: '', message: 'Expected a JSON object' }]) };
  }
  const parsed = leadInputSchema.safeParse(body);
  if (parsed.success) return { ok: true, lead: parsed.data };
  return { ok: false, error: new InvalidLeadError(parsed.error.issues.map(toLeadIssue)) };
}

function toLeadIssue(issue: z.core.$ZodIssue): LeadIssue {
  return { path: issue.path.map(String).join('.'), message: issue.message };
}

/** The 400 body of the intake contract: `{ error: 'invalid_lead', issues: [{ path, message }] }`. */
export function invalidLeadBody(error: InvalidLeadError): {
  error: 'invalid_lead';
  issues: readonly LeadIssue[];
} {
  return { error: 'invalid_lead', issues: error.issues };
}
