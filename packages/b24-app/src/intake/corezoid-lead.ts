import { isIP } from 'node:net';
import { type LeadInput, leadInputSchema, referralFromCookies, UTM_FIELDS } from '@prozvon/sdk';
import { phpArraySchema } from './corezoid-body.js';

type PhpArray = Readonly<Record<string, unknown>>;

/**
 * The form field names the drop-in reads from `$_POST`, first found wins. The seed names no
 * fields ("Имя и телефон клиента"), so these are the names shop templates commonly use,
 * Corezoid's own examples (`client_name`, `client_phone`) and Contact Form 7's (`your-name`).
 */
export const POST_FIELDS = {
  name: ['name', 'fio', 'client_name', 'your-name', 'first_name', 'username'],
  phone: ['phone', 'tel', 'telephone', 'phone_number', 'client_phone', 'your-phone', 'mobile'],
  comment: ['comment', 'message', 'your-message', 'msg'],
  city: ['city'],
  timezone: ['timezone', 'tz'],
  orderSum: ['orderSum', 'order_sum', 'sum'],
  currency: ['currency'],
} as const satisfies Partial<Record<keyof LeadInput, readonly string[]>>;

/** The optional fields: one that fails its own rule is dropped, never costs the shop the lead. */
const OPTIONAL = [
  'comment',
  'city',
  'timezone',
  'orderSum',
  'currency',
  'ip',
  'site',
  'partnerCode',
  'utm',
] as const;

/**
 * An op's `data` — `{ server: $_SERVER, cookies: $_COOKIE, post: $_POST }` — as the lead the engine
 * validates: `name` and `phone` from the form (POST_FIELDS), the partner and `utm` from the
 * `utm_*` cookies (then the form's `utm_*` hidden fields for any the cookies lack), `ip` from
 * `REMOTE_ADDR`, `site` the host of `HTTP_REFERER` (else `HTTP_HOST`, else `SERVER_NAME`),
 * and `ref` as the op gave it. A `data` without `post` is read as the form itself (Corezoid's own
 * examples send `{"phone":…,"name":…}`). Name and phone are passed as found, so a missing or bad
 * one is refused by the lead schema, naming it.
 */
export function leadFromCorezoidData(data: PhpArray, ref: string | number | null | undefined): LeadInput {
  const server = phpArray(data.server);
  const cookies = phpArray(data.cookies);
  const post = data.post === undefined ? data : phpArray(data.post);

  const lead: Record<string, unknown> = {
    name: first(post, POST_FIELDS.name),
    phone: first(post, POST_FIELDS.phone),
  };
  for (const field of ['comment', 'city', 'timezone', 'orderSum', 'currency'] as const) {
    lead[field] = first(post, POST_FIELDS[field]);
  }
  const address = text(server.REMOTE_ADDR);
  if (address !== undefined && isIP(address) !== 0) lead.ip = address;
  lead.site = siteOf(server);
  Object.assign(lead, referral(cookies, post));
  if (ref !== undefined && ref !== null) lead.ref = String(ref);

  for (const field of OPTIONAL) {
    if (lead[field] === undefined) continue;
    if (!leadInputSchema.shape[field].safeParse(lead[field]).success) delete lead[field];
  }
  for (const [field, value] of Object.entries(lead)) if (value === undefined) delete lead[field];
  return lead as LeadInput;
}

/** The referral as the order-form handler reads it from cookies, the form's `utm_*` filling gaps. */
function referral(cookies: PhpArray, post: PhpArray): Pick<LeadInput, 'partnerCode' | 'utm'> {
  const header = (source: PhpArray) =>
    UTM_FIELDS.flatMap((field) => {
      const value = text(source[`utm_${field}`]);
      return value === undefined ? [] : [`utm_${field}=${encodeURIComponent(value)}`];
    }).join('; ');
  const fromCookies = referralFromCookies(header(cookies));
  const fromForm = referralFromCookies(header(post));
  const utm = { ...(fromForm.utm ?? {}), ...(fromCookies.utm ?? {}) };
  const partnerCode = fromCookies.partnerCode ?? fromForm.partnerCode;
  return {
    ...(partnerCode === undefined ? {} : { partnerCode }),
    ...(Object.keys(utm).length === 0 ? {} : { utm }),
  };
}

/** The shop's site: where the form was (the referer's host), else the host PHP answered as. */
function siteOf(server: PhpArray): string | undefined {
  const referer = text(server.HTTP_REFERER);
  if (referer !== undefined && URL.canParse(referer)) {
    const { host } = new URL(referer);
    if (host !== '') return host;
  }
  return text(server.HTTP_HOST) ?? text(server.SERVER_NAME);
}

function first(source: PhpArray, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = text(source[name]);
    if (value !== undefined && value.trim() !== '') return value;
  }
  return undefined;
}

/** A PHP scalar as text: forms send strings, `json_encode` may write numbers. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function phpArray(value: unknown): PhpArray {
  const parsed = phpArraySchema.safeParse(value);
  return parsed.success ? parsed.data : {};
}
