import { InvalidLeadError } from '../lead/index.js';
import { leadFromForm } from './form-lead.js';

/** The media types the intake route takes, as an `Accept-Post` header lists them. */
export const INTAKE_MEDIA_TYPES = 'application/json, application/x-www-form-urlencoded';

/**
 * Which of the intake's encodings a `Content-Type` names: JSON (UTF-8, the only charset JSON has,
 * RFC 8259) or a plain HTML form; null for anything else, a missing type included. `text/plain` is
 * refused on purpose: a page on any site can post it cross-origin without a CORS preflight, and a
 * JSON body sent as text is not a lead a shop's own code would send.
 */
export function intakeMediaType(contentType: string | null): 'json' | 'form' | null {
  if (contentType === null) return null;
  const [essence = '', ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  const charset = parameters
    .map((parameter) => /^charset\s*=\s*"?([^"]*)"?$/.exec(parameter)?.[1])
    .find((value) => value !== undefined);
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return null;
  if (essence === 'application/json') return 'json';
  if (essence === 'application/x-www-form-urlencoded') return 'form';
  return null;
}

/**
 * Bytes that are not UTF-8 are refused rather than read as U+FFFD: a name reaches the CRM as the
 * customer typed it, or not at all.
 */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as the value `submit` validates, or the 400 that says why there is none. */
export function decodeIntakeBody(
  encoding: 'json' | 'form',
  bytes: Uint8Array,
): { ok: true; body: unknown } | { ok: false; error: InvalidLeadError } {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return refuse('The body is not valid UTF-8');
  }
  if (encoding === 'form') return { ok: true, body: leadFromForm(text) };
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return refuse('Expected a JSON object');
  }
}

function refuse(message: string): { ok: false; error: InvalidLeadError } {
  return { ok: false, error: new InvalidLeadError([{ path: '', message }]) };
}
