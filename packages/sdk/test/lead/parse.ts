import { parseLead } from '../../src/lead/index.js';

/** The least a lead needs: a name and a phone. */
export const minimal = { name: 'Анна', phone: '8 916 123-45-67' };

/** parseLead's issues for a body it must refuse; throws when it accepts it. */
export function issuesOf(body: unknown) {
  const result = parseLead(body);
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.lead)}`);
  return result.error.issues;
}

/** The lead parseLead makes of a body it must accept; throws when it refuses it. */
export function leadOf(body: unknown) {
  const result = parseLead(body);
  if (!result.ok) throw new Error(result.error.message);
  return result.lead;
}
