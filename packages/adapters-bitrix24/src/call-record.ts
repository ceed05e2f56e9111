import type { CallRecord } from '@prozvon/sdk';
import { type RestCommand, resultOf } from './rest-batcher.js';

/** Bitrix24's own STATUS_CODE values for `telephony.externalCall.finish` (BITRIX24.md §5). */
const BITRIX_CODES = new Set(['200', '304', '402', '403', '404', '423', '480', '484', '486', '503', '603']);

/**
 * The STATUS_CODE a call ends with on the card. The provider's SIP-like code is kept when Bitrix24
 * knows it (486 busy, 480 switched off, 603 declined…); otherwise the outcome decides. An answering
 * machine is not "200": the card would show a conversation that never happened.
 */
export function statusCode(record: CallRecord): string {
  const code = record.failureCode === undefined ? undefined : String(record.failureCode);
  switch (record.outcome) {
    case 'answered':
      return '200';
    case 'machine':
      return 'OTHER';
    case 'invalid':
      return code === '404' || code === '484' ? code : '404';
    case 'nodial':
      // 408 / 487: rang out or cancelled by us — a missed call for the seller.
      return code !== undefined && BITRIX_CODES.has(code) && code !== '200' ? code : '304';
    case 'refused':
      // 402 payment required, 403 forbidden: the provider would not place the call.
      return code === '402' || code === '403' ? code : '403';
    case 'unheard':
      // Picked up, but our message failed to play: no conversation happened, so not "200".
      return 'OTHER';
    case 'unknown':
      return 'OTHER';
  }
}

const OUTCOME_TEXT: Record<CallRecord['outcome'], string> = {
  answered: 'клиент ответил',
  machine: 'автоответчик',
  nodial: 'нет ответа',
  invalid: 'номер не существует',
  refused: 'оператор отказал в звонке',
  unheard: 'ответили, но сообщение не проигралось',
  unknown: 'результат неизвестен',
};

/** FAILED_REASON on the card: why a call that was not a conversation ended. */
export function failedReason(record: CallRecord): string | undefined {
  if (record.outcome === 'answered') return undefined;
  const code = record.failureCode === undefined ? '' : ` (код ${record.failureCode})`;
  return `${OUTCOME_TEXT[record.outcome]}${code}`;
}

/** A marker of the record's key in every text we write, so a repeat is recognisable on the card. */
export function keyMarker(record: CallRecord): string {
  return `[prozvon:${record.key}]`;
}

/** The timeline text of a call, for webhook mode where telephony is refused (WRONG_AUTH_TYPE). */
export function callComment(record: CallRecord): string {
  const lines = [
    `Звонок Prozvon, попытка ${record.attempt}: ${OUTCOME_TEXT[record.outcome]}`,
    `Номер: ${record.phone}`,
    `Начало: ${new Date(record.startedAt).toISOString()}, длительность ${record.durationSec} с`,
  ];
  if (record.failureCode !== undefined) lines.push(`Код оператора: ${record.failureCode}`);
  if (record.recordingUrl) lines.push(`Запись: ${record.recordingUrl}`);
  lines.push(keyMarker(record));
  return lines.join('\n');
}

/** The "no answer" note on the lead. */
export function noAnswerComment(record: CallRecord): string {
  return `Нет ответа (попытка ${record.attempt}, ${record.phone}). ${keyMarker(record)}`;
}

export interface CallEntryOptions {
  readonly leadId: string;
  readonly userId: number;
  readonly lineNumber: string | undefined;
}

/**
 * register + finish (+ attachRecord) as one group, so the call lands on the card in one request.
 * EXTERNAL_CALL_ID is the record's key: a register repeated within 30 minutes with the same phone,
 * user, line and external id returns the same unfinished CALL_ID (BITRIX24.md §5) — so a retry
 * after a failed finish completes that call instead of adding a second, and two attempts to the
 * same number 30 minutes apart never share one CALL_ID.
 */
export function callEntryCommands(record: CallRecord, options: CallEntryOptions): RestCommand[] {
  const user = { USER_ID: options.userId };
  const commands: RestCommand[] = [
    {
      method: 'telephony.externalcall.register',
      params: {
        ...user,
        PHONE_NUMBER: record.phone,
        TYPE: 1,
        CALL_START_DATE: atomDate(record.startedAt),
        CRM_CREATE: 0,
        CRM_ENTITY_TYPE: 'LEAD',
        CRM_ENTITY_ID: options.leadId,
        // No call card popping up on the seller's screen, no chat message: this is a log entry.
        SHOW: 0,
        ADD_TO_CHAT: 0,
        EXTERNAL_CALL_ID: record.key,
        LINE_NUMBER: options.lineNumber,
      },
    },
    {
      method: 'telephony.externalcall.finish',
      params: {
        ...user,
        CALL_ID: resultOf(0, 'CALL_ID'),
        DURATION: Math.max(0, Math.round(record.durationSec)),
        STATUS_CODE: statusCode(record),
        FAILED_REASON: failedReason(record),
        ADD_TO_CHAT: 0,
      },
    },
  ];
  if (record.recordingUrl) {
    // Only after finish: the portal refuses a record for a call not yet in its statistics.
    commands.push({
      method: 'telephony.externalcall.attachRecord',
      params: { CALL_ID: resultOf(0, 'CALL_ID'), RECORD_URL: record.recordingUrl },
    });
  }
  return commands;
}

/** ISO-8601 as the portal parses it (PHP's ATOM: seconds, numeric offset, no milliseconds). */
export function atomDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
}
