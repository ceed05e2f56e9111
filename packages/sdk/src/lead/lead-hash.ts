import { createHash } from 'node:crypto';
import type { Lead } from './lead-schema.js';

/**
 * What tells a shop's retry from a new order under the same `ref`: the SHA-256 (hex) of the lead
 * as validated, in canonical JSON. Validation trims and drops unknown fields, so a retry that
 * differs only in layout, key order or blanks hashes the same; any change of what the lead says
 * does not.
 */
export function leadBodyHash(lead: Lead): string {
  return createHash('sha256').update(canonicalJson(lead)).digest('hex');
}

/**
 * JSON with every object's keys in code-unit order, no spaces, and undefined members left out (as
 * JSON.stringify leaves them out): one text for one value, whatever order its keys were built in.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`);
    return `{${members.join(',')}}`;
  }
  // undefined (in an array, as JSON.stringify writes it), NaN and Infinity become null.
  return JSON.stringify(value) ?? 'null';
}
