import { mergedParams, parseForm } from '../core/form.js';
import { failsWholeRequest } from './behaviour.js';
import type { GatewayContext, GatewayRequest, GatewayResponse, SmsRuConfig } from './gateway-context.js';
import { isRoutable, phoneDigits } from './phone.js';
import { smsParts } from './segments.js';

// SMS.ru status codes (MESSAGING.md §1). The Russian texts paraphrase sms.ru/api; clients must
// branch on status_code, never on the text.
const TEXTS: Record<number, string> = {
  103: 'Сообщение доставлено',
  200: 'Неправильный api_id',
  201: 'Не хватает средств на лицевом счету',
  202: 'Неправильно указан номер телефона получателя, либо на него нет маршрута',
  203: 'Нет текста сообщения',
  204: 'Имя отправителя не согласовано с администрацией',
  205: 'Сообщение слишком длинное (превышает 8 СМС)',
  206: 'Будет превышен или уже превышен дневной лимит на отправку сообщений',
  208: 'Параметр time указан неправильно',
  209: 'Вы добавили этот номер (или один из номеров) в стоп-лист',
  211: 'Метод не найден',
  212: 'Текст сообщения необходимо передать в кодировке UTF-8',
  213: 'Указано более 100 номеров в списке получателей',
  220: 'Сервис временно недоступен, попробуйте чуть позже',
  231: 'Превышен лимит одинаковых сообщений на этот номер в минуту',
  500: 'Ошибка на сервере. Повторите запрос.',
  [-1]: 'Сообщение не найдено',
};

const BEHAVIOUR_CODES = { out_of_funds: 201, rate_limited: 206, provider_down: 220 } as const;
const MAX_RECIPIENTS = 100;
const MAX_PARTS = 8;
const DUPLICATE_WINDOW_MS = 60_000;
const MAX_DELAY_S = 60 * 24 * 60 * 60;

/** The body SMS.ru gives for a request refused as a whole (HTTP 200, like every SMS.ru answer). */
export function smsRuErrorBody(code: number): { status: 'ERROR'; status_code: number; status_text: string } {
  return { status: 'ERROR', status_code: code, status_text: TEXTS[code] ?? 'Ошибка' };
}

type Ctx = GatewayContext<SmsRuConfig>;

export function handleSmsRu(ctx: Ctx, req: GatewayRequest): GatewayResponse {
  let params: URLSearchParams;
  try {
    // SMS.ru refuses text that is not UTF-8 (212) rather than guessing a charset.
    params = mergedParams(
      req.query,
      req.contentType === 'application/x-www-form-urlencoded'
        ? parseForm(req.rawBody, 'utf-8', true)
        : undefined,
    );
  } catch {
    // Read again leniently, only to learn whether the client asked for JSON.
    const lenient = mergedParams(req.query, parseForm(req.rawBody));
    ctx.state.reject('smsru', 212, TEXTS[212] ?? '212', new Date(ctx.now()));
    return answer(lenient, smsRuErrorBody(212));
  }
  const refuse = (code: number): GatewayResponse => {
    ctx.state.reject('smsru', code, TEXTS[code] ?? String(code), new Date(ctx.now()));
    return answer(params, smsRuErrorBody(code));
  };
  if (params.get('api_id') !== ctx.config.apiId) return refuse(200);
  switch (req.path) {
    case '/sms/send':
      return send(ctx, params, refuse);
    case '/sms/status':
      return status(ctx, params);
    case '/my/balance':
      return answer(params, { status: 'OK', status_code: 100, balance: round(ctx.config.balance) });
    default:
      return refuse(211);
  }
}

interface Recipient {
  to: string;
  text: string;
}

/** `to=a,b&msg=…`, or one text per number as `to[<phone>]=…` (docs) / `multi[<phone>]=…` (PHP sample). */
function recipientsOf(params: URLSearchParams): Recipient[] {
  const text = params.get('msg') ?? '';
  const plain = params
    .getAll('to')
    .flatMap((list) => list.split(','))
    .map((to) => to.trim())
    .filter((to) => to !== '')
    .map((to) => ({ to, text }));
  const perNumber = [...params]
    .map(([name, value]) => ({ match: /^(?:to|multi)\[(.+)\]$/.exec(name), value }))
    .flatMap(({ match, value }) => (match?.[1] ? [{ to: match[1], text: value }] : []));
  return [...plain, ...perNumber];
}

function send(ctx: Ctx, params: URLSearchParams, refuse: (code: number) => GatewayResponse): GatewayResponse {
  const recipients = recipientsOf(params);
  // Assumption (unverified): a request with no recipient at all is refused with 202 as a whole.
  if (recipients.length === 0) return refuse(202);
  if (recipients.length > MAX_RECIPIENTS) return refuse(213);
  if (recipients.some((r) => r.text.trim() === '')) return refuse(203);
  const from = params.get('from');
  if (from !== null && from !== '' && !ctx.config.senders.includes(from)) return refuse(204);
  const time = params.get('time');
  if (time !== null && !validDelay(time, ctx.now())) return refuse(208);
  if (recipients.some((r) => smsParts(r.text) > MAX_PARTS)) return refuse(205);
  for (const r of recipients) {
    const behaviour = ctx.state.behaviourOf(r.to);
    if (failsWholeRequest(behaviour))
      return refuse(BEHAVIOUR_CODES[behaviour as keyof typeof BEHAVIOUR_CODES]);
  }
  // Assumption (unverified: MESSAGING.md): test=1 validates and answers like a real send, but
  // neither charges nor counts towards the duplicate limit.
  const test = params.get('test') === '1';
  const sendable = recipients.filter((r) => isRoutable(r.to) && ctx.state.behaviourOf(r.to) === 'sent');
  const cost = sendable.reduce((sum, r) => sum + smsParts(r.text) * ctx.config.pricePerPart, 0);
  if (!test && cost > ctx.config.balance + 1e-9) return refuse(201);

  const at = new Date(ctx.now());
  const sms: Record<string, object> = {};
  for (const r of recipients) {
    const code = perNumberCode(ctx, r, at.getTime(), test);
    const parts = smsParts(r.text);
    const base = {
      gateway: 'smsru' as const,
      to: r.to,
      text: r.text,
      test,
      parts,
      at,
      ...(from ? { from } : {}),
    };
    if (code === 100) {
      const seq = ctx.state.nextSequence();
      const id = `${String(seq).padStart(6, '0')}-${10_000_000 + seq}`;
      if (!test) ctx.config.balance -= parts * ctx.config.pricePerPart;
      ctx.state.messages.push({ ...base, id, status: 'sent' });
      sms[phoneDigits(r.to)] = { status: 'OK', status_code: 100, sms_id: id };
    } else {
      ctx.state.messages.push({ ...base, id: '', status: 'failed', code });
      sms[phoneDigits(r.to) || r.to] = { status: 'ERROR', status_code: code, status_text: TEXTS[code] };
    }
  }
  return answer(params, { status: 'OK', status_code: 100, sms, balance: round(ctx.config.balance) });
}

function perNumberCode(ctx: Ctx, r: Recipient, now: number, test: boolean): number {
  if (!isRoutable(r.to)) return 202;
  const behaviour = ctx.state.behaviourOf(r.to);
  if (behaviour === 'bad_number') return 202;
  if (behaviour === 'blocked') return 209;
  if (!test && ctx.state.recentDuplicate('smsru', r.to, r.text, now - DUPLICATE_WINDOW_MS)) return 231;
  return 100;
}

function validDelay(time: string, now: number): boolean {
  if (!/^\d+$/.test(time)) return false;
  const delay = Number(time) - Math.floor(now / 1000);
  return delay <= MAX_DELAY_S;
}

/** `sms_id` may be a comma list; every message is reported delivered (103) once sent. */
function status(ctx: Ctx, params: URLSearchParams): GatewayResponse {
  const ids = (params.get('sms_id') ?? '').split(',').filter((id) => id !== '');
  const sms: Record<string, object> = {};
  for (const id of ids) {
    const found = ctx.state.messages.find((m) => m.gateway === 'smsru' && m.id === id);
    sms[id] = found
      ? { status: 'OK', status_code: 103, status_text: TEXTS[103] }
      : { status: 'ERROR', status_code: -1, status_text: TEXTS[-1] };
  }
  return answer(params, { status: 'OK', status_code: 100, sms, balance: round(ctx.config.balance) });
}

/**
 * JSON with `json=1`; otherwise SMS.ru's plain format: the status code on the first line, then
 * one line per message id, then `balance=`. (Only the JSON shape is in MESSAGING.md; the plain
 * one is there so a client that forgets json=1 fails to parse, as it would in production.)
 */
function answer(params: URLSearchParams, body: Record<string, unknown>): GatewayResponse {
  if (params.get('json') === '1') return { status: 200, body };
  const lines = [String(body.status_code)];
  const sms = (body.sms ?? {}) as Record<string, { sms_id?: string; status_code: number }>;
  for (const entry of Object.values(sms)) lines.push(entry.sms_id ?? String(entry.status_code));
  if (body.balance !== undefined) lines.push(`balance=${body.balance}`);
  return { status: 200, body: lines.join('\n'), text: true };
}

function round(money: number): number {
  return Math.round(money * 100) / 100;
}
