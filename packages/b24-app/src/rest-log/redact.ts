/** What stands in for a secret in the REST log. */
export const REDACTED = '[redacted]';

/** The longest params or answer text kept per request; longer ones are cut, saying so. */
export const MAX_TEXT = 8_000;

/**
 * Names whose values are secrets: the access token b24jssdk puts in `auth`, the frame's
 * `AUTH_ID` / `REFRESH_ID`, and anything named like a token, secret or password
 * (`application_token`, `refresh_token`, `client_secret`…).
 */
export function isSecretName(name: string): boolean {
  return /token|secret|password/i.test(name) || /^(auth|auth_id|refresh_id|access_id)$/i.test(name);
}

/**
 * A JSON value with every secret replaced: values under a secret name, at any depth; values of
 * secret names inside query strings (a batch's commands are `method?key=value&…`); and any
 * occurrence of the `known` secrets (the request's own access token) wherever it hides.
 */
export function redactJson(value: unknown, known: readonly string[] = []): string {
  const text = JSON.stringify(redactValue(value)) ?? '';
  return cut(
    known.reduce((out, secret) => (secret.length >= 8 ? out.replaceAll(secret, REDACTED) : out), text),
  );
}

function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('=') ? redactQuery(value) : value;
  if (Array.isArray(value)) return value.map(redactValue);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [name, inner] of Object.entries(value))
      out[name] = isSecretName(name) ? REDACTED : redactValue(inner);
    return out;
  }
  return value;
}

/** `a=1&auth[access_token]=x` → `a=1&auth[access_token]=[redacted]`, judged by the innermost name. */
function redactQuery(text: string): string {
  return text.replace(/([^?&=]+)=([^&]*)/g, (whole, key: string) => {
    let name = key;
    try {
      name = decodeURIComponent(key);
    } catch {
      // Not percent-encoded as a query would be: judged as written.
    }
    const inner = /\[([^[\]]*)\]$/.exec(name)?.[1] ?? name;
    return isSecretName(inner) ? `${key}=${REDACTED}` : whole;
  });
}

function cut(text: string): string {
  return text.length <= MAX_TEXT
    ? text
    : `${text.slice(0, MAX_TEXT)}…[${text.length - MAX_TEXT} more characters]`;
}
