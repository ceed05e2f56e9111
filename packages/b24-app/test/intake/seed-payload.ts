import { DuplicateLeadError, type Lead, parseLead, type SubmitResult } from '@prozvon/sdk';

/**
 * PHP's `json_encode` with its default flags, as the seed's template calls it: `/` escaped as
 * `\/` and every non-ASCII character as a `\uXXXX` escape (no JSON_UNESCAPED_SLASHES or
 * JSON_UNESCAPED_UNICODE), empty arrays as `[]`.
 */
export function phpJsonEncode(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll('/', '\\/')
    .replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `$_SERVER` of the shop's order script, as PHP-FPM behind nginx fills it (numbers stay numbers). */
export const SEED_SERVER = {
  USER: 'www-data',
  HOME: '/var/www',
  HTTP_COOKIE: 'utm_source=PARTNER42; utm_medium=cpa; PHPSESSID=9u1n7ceq0ktbp0qlnm8ti1hk43',
  HTTP_ACCEPT_LANGUAGE: 'ru-RU,ru;q=0.9,en;q=0.8',
  HTTP_REFERER: 'https://watches.example/catalog/casio-g-shock?utm_source=PARTNER42',
  HTTP_USER_AGENT:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/58.0.3029.110 Safari/537.36',
  HTTP_ORIGIN: 'https://watches.example',
  HTTP_CONTENT_TYPE: 'application/x-www-form-urlencoded',
  HTTP_CONTENT_LENGTH: '58',
  HTTP_HOST: 'watches.example',
  REDIRECT_STATUS: '200',
  SERVER_NAME: 'watches.example',
  SERVER_PORT: '443',
  SERVER_ADDR: '10.0.0.5',
  REMOTE_PORT: '51234',
  REMOTE_ADDR: '203.0.113.7',
  SERVER_SOFTWARE: 'nginx/1.10.3',
  GATEWAY_INTERFACE: 'CGI/1.1',
  HTTPS: 'on',
  REQUEST_SCHEME: 'https',
  SERVER_PROTOCOL: 'HTTP/1.1',
  DOCUMENT_ROOT: '/var/www/watches.example',
  DOCUMENT_URI: '/order.php',
  REQUEST_URI: '/order.php',
  SCRIPT_NAME: '/order.php',
  CONTENT_LENGTH: '58',
  CONTENT_TYPE: 'application/x-www-form-urlencoded',
  REQUEST_METHOD: 'POST',
  QUERY_STRING: '',
  SCRIPT_FILENAME: '/var/www/watches.example/order.php',
  FCGI_ROLE: 'RESPONDER',
  PHP_SELF: '/order.php',
  REQUEST_TIME_FLOAT: 1489151417.2831,
  REQUEST_TIME: 1489151417,
};

export const SEED_COOKIES = {
  utm_source: 'PARTNER42',
  utm_medium: 'cpa',
  PHPSESSID: '9u1n7ceq0ktbp0qlnm8ti1hk43',
};

export const SEED_POST = { name: 'Анна Петрова', phone: '8 (916) 123-45-67' };

/** One op of the seed's `$full`, `ref` the client's IP as there. */
export function seedOp(
  overrides: { ref?: unknown; post?: unknown; cookies?: unknown; server?: unknown; id?: unknown } = {},
) {
  const op: Record<string, unknown> = {
    ref: 'ref' in overrides ? overrides.ref : SEED_SERVER.REMOTE_ADDR,
    type: 'create',
    obj: 'task',
    conv_id: '31754',
    data: {
      server: overrides.server ?? SEED_SERVER,
      cookies: overrides.cookies ?? SEED_COOKIES,
      post: overrides.post ?? SEED_POST,
    },
  };
  if (overrides.id !== undefined) op.id = overrides.id;
  return op;
}

/** The seed's body: `json_encode($full)`. */
export function seedBody(...ops: unknown[]): string {
  return phpJsonEncode({ ops: ops.length === 0 ? [seedOp()] : ops });
}

/**
 * A submit that decides as the engine does at its edge: the lead schema (InvalidLeadError), a
 * `ref` in progress with another body refused (DuplicateLeadError) and the same body replayed.
 */
export function fakeEngine() {
  const accepted: { tenantId: string; lead: Lead }[] = [];
  const byRef = new Map<string, { body: string; leadId: string }>();
  let refuseNext: Error | null = null;
  const submit = async (tenantId: string, input: unknown): Promise<SubmitResult> => {
    if (refuseNext !== null) {
      const error = refuseNext;
      refuseNext = null;
      throw error;
    }
    const parsed = parseLead(input);
    if (!parsed.ok) throw parsed.error;
    const { lead } = parsed;
    const body = JSON.stringify(lead);
    const known = lead.ref === undefined ? undefined : byRef.get(`${tenantId}:${lead.ref}`);
    if (known !== undefined && known.body !== body) throw new DuplicateLeadError(known.leadId);
    const leadId = known?.leadId ?? `lead-${accepted.length + 1}`;
    if (known === undefined) {
      accepted.push({ tenantId, lead });
      if (lead.ref !== undefined) byRef.set(`${tenantId}:${lead.ref}`, { body, leadId });
    }
    return { leadId, state: 'call.dialing', crmState: 'crm.creating', callState: 'call.dialing' };
  };
  return {
    submit,
    accepted,
    refuseNext(error: Error) {
      refuseNext = error;
    },
  };
}
