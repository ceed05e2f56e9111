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

/** Without an explicit CRM binding the portal looks the number up in the CRM (leads here). */
function findLeadByPhone(ctx: CallContext, phone: string): number | null {
  for (const row of ctx.portal.leads.rows()) {
    const phones = (row.PHONE as { VALUE: string }[] | undefined) ?? [];
    if (phones.some((p) => digits(p.VALUE) === phone)) return Number(row.ID);
  }
  return null;
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
  if (entityType === null || entityId === null) {
    entityId = findLeadByPhone(ctx, phone);
    entityType = entityId === null ? null : 'LEAD';
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
  };
  ctx.portal.calls.set(call.callId, call);
  return registerResult(call);
}

function registerResult(call: ExternalCall) {
  return {
    CALL_ID: call.callId,
    CRM_CREATED_LEAD: null,
    CRM_CREATED_ENTITIES: [],
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

function attachRecord(params: Params, ctx: CallContext) {
  const call = typeof params.CALL_ID === 'string' ? ctx.portal.calls.get(params.CALL_ID) : undefined;
  if (typeof params.CALL_ID !== 'string' || params.CALL_ID === '') {
    throw coreError('Required parameters are not set: CALL_ID');
  }
  if (call?.finished === undefined) {
    throw coreError('Call is not found in the statistic table. It looks like it is not finished yet.');
  }
  const url = params.RECORD_URL ? String(params.RECORD_URL) : null;
  const fileName = params.FILENAME ? String(params.FILENAME) : null;
  if (url === null && fileName === null) throw coreError('File name is empty');
  if (fileName !== null && !/\.(wav|mp3)$/i.test(fileName)) {
    throw coreError('Wrong file extension. Only wav and mp3 are allowed');
  }
  if (url === null && !params.FILE_CONTENT) {
    return {
      uploadUrl: `${ctx.portal.clientEndpoint}telephony.upload?CALL_ID=${call.callId}`,
      fieldName: 'file',
    };
  }
  const fileId = ctx.portal.nextId();
  call.record = { fileId, fileName, url }; // a repeat replaces the record
  return { FILE_ID: fileId };
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
    handle: (p, c) => ({ result: attachRecord(p, c) }),
  },
};
