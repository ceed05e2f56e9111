import { isoWithOffset, parseDate } from '../dates.js';
import { RestError } from '../errors.js';
import type { ExternalCall, PortalUser } from '../records.js';
import { coreError } from './params.js';
import type { CallContext, MethodTable, Params } from './types.js';

/** A repeat register within 30 minutes with the same key returns the same call (§5). */
export const REGISTER_DEDUPE_MS = 30 * 60_000;

const digits = (value: unknown) => String(value ?? '').replace(/\D/g, '');

function user(params: Params, ctx: CallContext): PortalUser {
  const id = params.USER_ID;
  const inner = params.USER_PHONE_INNER;
  if ((id === undefined || id === '') && (inner === undefined || inner === '')) {
    throw coreError('USER_ID or USER_PHONE_INNER should be set.');
  }
  const found =
    id !== undefined && id !== ''
      ? ctx.portal.users.get(Number(id))
      : [...ctx.portal.users.values()].find((u) => u.UF_PHONE_INNER === String(inner));
  if (found === undefined || !found.ACTIVE) throw coreError('User is not found or is not active.');
  return found;
}

/**
 * Without an explicit CRM binding the portal looks the number up in the CRM. Contacts, then
 * companies, then leads (the order is unverified; a lead is what this app meets).
 */
function findByPhone(ctx: CallContext, phone: string): { type: string; id: number } | null {
  const stores = [
    ['CONTACT', ctx.portal.contacts],
    ['COMPANY', ctx.portal.companies],
    ['LEAD', ctx.portal.leads],
  ] as const;
  for (const [type, store] of stores) {
    for (const row of store.rows()) {
      const phones = (row.PHONE as { VALUE: string }[] | undefined) ?? [];
      if (phones.some((p) => digits(p.VALUE) === phone)) return { type, id: Number(row.ID) };
    }
  }
  return null;
}

const flag = (value: unknown, byDefault: boolean) =>
  value === undefined || value === ''
    ? byDefault
    : value === true || ['1', 'Y', 'true'].includes(String(value));

/**
 * CRM_CREATE=1 and nothing found by the number: the portal adds a lead (telephony-external-call-register.md,
 * "Automatic creation of a CRM object if no suitable object is found by the number"). For an
 * outgoing call through one of the app's lines, that line's CRM_AUTO_CREATE=N wins (the same page:
 * "the final behavior also depends on the value of the CRM_AUTO_CREATE parameter set for the line").
 */
function createLead(
  params: Params,
  ctx: CallContext,
  phone: string,
  type: number,
  userId: number,
): number | null {
  if (!flag(params.CRM_CREATE, false)) return null;
  const lineNumber = params.LINE_NUMBER === undefined ? undefined : String(params.LINE_NUMBER);
  const line =
    lineNumber === undefined
      ? undefined
      : ctx.portal.externalLines.find((l) => l.clientId === ctx.auth.clientId && l.number === lineNumber);
  if (type === 1 && line !== undefined && line.crmAutoCreate === 'N') return null;
  const source =
    params.CRM_SOURCE === undefined || params.CRM_SOURCE === '' ? 'CALL' : String(params.CRM_SOURCE);
  const id = ctx.portal.leads.add(
    {
      // The portal's own title wording is unverified; the phone is what matters on the card.
      TITLE: `${type === 1 ? 'Outgoing' : 'Incoming'} call ${phone}`,
      SOURCE_ID: source,
      ASSIGNED_BY_ID: userId,
      PHONE: [{ VALUE: `+${phone}`, VALUE_TYPE: 'WORK' }],
    },
    ctx.portal.writeContext(userId, ctx.now),
  );
  ctx.sim.emit(ctx.portal, 'ONCRMLEADADD', { FIELDS: { ID: String(id) } }, { userId });
  return id;
}

/** `telephony.externalcall.register`; also what the portal does itself when a user clicks a number. */
export function register(params: Params, ctx: CallContext) {
  const portalUser = user(params, ctx);
  const phone = digits(params.PHONE_NUMBER);
  if (phone.length < 3) throw coreError('Unsupported phone number format.');
  const type = Number(params.TYPE);
  if (![1, 2, 3, 4, 5].includes(type)) throw coreError('Unknown TYPE.');
  let start = ctx.now;
  if (params.CALL_START_DATE !== undefined && params.CALL_START_DATE !== '') {
    const parsed = parseDate(params.CALL_START_DATE);
    if (parsed === undefined) throw coreError('CALL_START_DATE should be in the ISO-8601 format.');
    start = parsed;
  }
  const userId = Number(portalUser.ID);
  const externalCallId = params.EXTERNAL_CALL_ID === undefined ? null : String(params.EXTERNAL_CALL_ID);
  const lineNumber = params.LINE_NUMBER === undefined ? null : String(params.LINE_NUMBER);
  for (const call of ctx.portal.calls.values()) {
    if (
      call.finished === undefined &&
      ctx.now - call.registeredAt < REGISTER_DEDUPE_MS &&
      call.phoneNumber === phone &&
      call.type === type &&
      call.userId === userId &&
      call.lineNumber === lineNumber &&
      call.externalCallId === externalCallId
    ) {
      return registerResult(call);
    }
  }
  let entityType = params.CRM_ENTITY_TYPE ? String(params.CRM_ENTITY_TYPE).toUpperCase() : null;
  let entityId = params.CRM_ENTITY_ID ? Number(params.CRM_ENTITY_ID) : null;
  let createdLead: number | null = null;
  if (entityType === null || entityId === null) {
    const found = findByPhone(ctx, phone);
    if (found === null) createdLead = createLead(params, ctx, phone, type, userId);
    entityType = found?.type ?? (createdLead === null ? null : 'LEAD');
    entityId = found?.id ?? createdLead;
  }
  const hex = `${ctx.portal.memberId}${ctx.portal.nextId().toString(16)}`.slice(-32).padStart(32, '0');
  const call: ExternalCall = {
    callId: `externalCall.${hex}.${Math.floor(ctx.now / 1000)}`,
    externalCallId,
    userId,
    phoneNumber: phone,
    type,
    lineNumber,
    startDate: isoWithOffset(start, ctx.portal.offsetMinutes),
    registeredAt: ctx.now,
    crmEntityType: entityType,
    crmEntityId: entityId,
    clientId: ctx.auth.clientId ?? '',
    show: flag(params.SHOW, true),
    addToChat: flag(params.ADD_TO_CHAT, true),
    createdLead,
  };
  ctx.portal.calls.set(call.callId, call);
  return registerResult(call);
}

function registerResult(call: ExternalCall) {
  return {
    CALL_ID: call.callId,
    CRM_CREATED_LEAD: call.createdLead,
    CRM_CREATED_ENTITIES:
      call.createdLead === null ? [] : [{ ENTITY_TYPE: 'LEAD', ENTITY_ID: call.createdLead }],
    CRM_ENTITY_TYPE: call.crmEntityType,
    CRM_ENTITY_ID: call.crmEntityId,
  };
}

function activeCall(params: Params, ctx: CallContext): ExternalCall {
  if (typeof params.CALL_ID !== 'string' || params.CALL_ID === '') {
    throw new RestError(400, 'INVALID_ARGUMENT', 'CALL_ID must be a string');
  }
  const call = ctx.portal.calls.get(params.CALL_ID);
  if (call === undefined || call.finished !== undefined) {
    throw coreError('Call is not found (call should be registered prior to finishing)');
  }
  return call;
}

function finish(params: Params, ctx: CallContext) {
  const call = activeCall(params, ctx);
  user(params, ctx);
  const duration = Math.max(0, Math.trunc(Number(params.DURATION ?? 0)) || 0);
  const statusCode = String(params.STATUS_CODE ?? (duration > 0 ? '200' : '304'));
  let activityId: number | null = null;
  if (call.crmEntityType !== null && call.crmEntityId !== null) {
    // Only finish puts the call on the card: a call activity in the entity's timeline (§5).
    activityId = ctx.portal.nextId();
    ctx.portal.activities.push({
      id: activityId,
      typeId: 2,
      direction: call.type === 1 ? 2 : 1,
      ownerType: call.crmEntityType,
      ownerId: call.crmEntityId,
      subject:
        call.type === 1 ? `Outgoing call to ${call.phoneNumber}` : `Incoming call from ${call.phoneNumber}`,
      callId: call.callId,
      duration,
      statusCode,
      completed: 'Y',
      created: isoWithOffset(ctx.now, ctx.portal.offsetMinutes),
    });
  }
  call.finished = {
    duration,
    statusCode,
    failedReason: String(params.FAILED_REASON ?? ''),
    cost: Number(params.COST ?? 0) || 0,
    costCurrency: String(params.COST_CURRENCY ?? ''),
    vote: Number(params.VOTE ?? 0) || 0,
    activityId,
  };
  return {
    ID: ctx.portal.nextId(),
    CALL_ID: call.callId,
    EXTERNAL_CALL_ID: call.externalCallId,
    PORTAL_USER_ID: call.userId,
    PHONE_NUMBER: call.phoneNumber,
    PORTAL_NUMBER: call.lineNumber ?? '',
    INCOMING: String(call.type),
    CALL_DURATION: duration,
    CALL_START_DATE: {},
    CALL_STATUS: statusCode === '200' ? 1 : 0,
    CALL_VOTE: call.finished.vote,
    COST: call.finished.cost,
    COST_CURRENCY: call.finished.costCurrency,
    CALL_FAILED_CODE: statusCode,
    CALL_FAILED_REASON: call.finished.failedReason,
    REST_APP_ID: '1',
    REST_APP_NAME: call.clientId,
    CRM_ACTIVITY_ID: activityId,
    COMMENT: null,
    CRM_ENTITY_TYPE: call.crmEntityType,
    CRM_ENTITY_ID: call.crmEntityId,
  };
}

/** The record's name: FILENAME, else the URL's last path segment ("the name is taken from the URL"). */
function recordName(fileName: string | null, url: string | null): string {
  if (fileName !== null) return fileName;
  try {
    return decodeURIComponent(new URL(url ?? '').pathname.split('/').pop() ?? '');
  } catch {
    return '';
  }
}

function finishedCall(params: Params, ctx: CallContext): ExternalCall {
  if (typeof params.CALL_ID !== 'string' || params.CALL_ID === '') {
    throw coreError('Required parameters are not set: CALL_ID');
  }
  const call = ctx.portal.calls.get(params.CALL_ID);
  if (call?.finished === undefined) {
    throw coreError('Call is not found in the statistic table. It looks like it is not finished yet.');
  }
  return call;
}

/**
 * `telephony.externalCall.attachRecord` (telephony-external-call-attach-record.md): RECORD_URL is
 * downloaded there and then, and a failed download is the documented "Server returns HTTP error
 * code {N}"; FILENAME + FILE_CONTENT attaches at once; FILENAME alone answers an `uploadUrl`
 * (`/rest/upload.json?auth=…&token=…`, record-upload.ts) and `fieldName`.
 */
async function attachRecord(params: Params, ctx: CallContext) {
  const call = finishedCall(params, ctx);
  const url = params.RECORD_URL ? String(params.RECORD_URL) : null;
  const given = params.FILENAME === undefined ? null : String(params.FILENAME);
  if (url === null && given === null) {
    throw coreError(
      'Required parameters are not set. Request should contain either URL or FILENAME parameter',
    );
  }
  const fileName = recordName(given, url);
  if (fileName === '') throw coreError('File name is empty');
  if (!/\.(wav|mp3)$/i.test(fileName)) throw coreError('Wrong file extension. Only wav and mp3 are allowed');
  let bytes: Buffer;
  if (url !== null) {
    const download = await ctx.sim.download(url);
    if (!download.ok) throw coreError(`Server returns HTTP error code ${download.status}`);
    bytes = download.bytes;
  } else if (params.FILE_CONTENT === undefined) {
    return { uploadUrl: uploadUrl(ctx, call, fileName), fieldName: 'file' };
  } else {
    const content = String(params.FILE_CONTENT);
    if (content === '') throw coreError('File content is empty.');
    if (!/^[A-Za-z0-9+/\r\n]*={0,2}$/.test(content)) {
      throw coreError('File content is not properly encoded. Base64 encoding is expected.');
    }
    bytes = Buffer.from(content, 'base64');
  }
  // Re-read after the download: the call is the same object, a repeat attach replaces the record.
  return { FILE_ID: storeRecord(ctx, call, { fileName, url, size: bytes.length }) };
}

/** Keeps a record on the call (a repeat replaces it) and returns its FILE_ID. */
export function storeRecord(
  ctx: Pick<CallContext, 'portal'>,
  call: ExternalCall,
  file: { fileName: string; url: string | null; size: number },
): number {
  const fileId = ctx.portal.nextId();
  call.record = { fileId, ...file };
  return fileId;
}

/** The two-step upload's address: the caller's own token and a one-call upload token, as documented. */
function uploadUrl(ctx: CallContext, call: ExternalCall, fileName: string): string {
  const token = `telephony|${ctx.portal.nextUploadToken()}`;
  ctx.portal.recordUploads.set(token, { callId: call.callId, fileName, clientId: ctx.auth.clientId ?? '' });
  const query = new URLSearchParams({ auth: ctx.auth.accessToken ?? '', token });
  return `${ctx.portal.clientEndpoint}upload.json?${query}`;
}

/**
 * `telephony.externalcall.*` (§5): app (OAuth) context only — a webhook gets WRONG_AUTH_TYPE.
 * Names are matched lower-cased, so `telephony.externalCall.register` works too.
 */
export const telephonyMethods: MethodTable = {
  'telephony.externalcall.register': {
    scope: 'telephony',
    appOnly: true,
    handle: (p, c) => ({ result: register(p, c) }),
  },
  'telephony.externalcall.finish': {
    scope: 'telephony',
    appOnly: true,
    handle: (p, c) => ({ result: finish(p, c) }),
  },
  'telephony.externalcall.attachrecord': {
    scope: 'telephony',
    appOnly: true,
    handle: async (p, c) => ({ result: await attachRecord(p, c) }),
  },
};
