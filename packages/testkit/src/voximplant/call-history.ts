import type { SimScenarioSession } from './voximplant-state.js';

/** `YYYY-MM-DD HH:mm:ss` in UTC, the API's date format (timezone Etc/GMT). */
export function apiDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Parses the API's date format as UTC; undefined when it does not match (error 111). */
export function parseApiDate(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (match === null) return undefined;
  const ms = Date.parse(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** One `CallSessionInfo` of GetCallHistory, with its `calls` when asked `with_calls`. */
export function sessionInfo(session: SimScenarioSession, accountId: number, withCalls: boolean) {
  const { record } = session;
  const ended = record.endedAt ?? record.startedAt;
  return {
    call_session_history_id: session.sessionId,
    account_id: accountId,
    application_id: session.applicationId,
    application_name: session.applicationName,
    rule_name: session.ruleName,
    user_id: null,
    start_date: apiDate(record.startedAt),
    duration: Math.round((ended - record.startedAt) / 1000),
    initiator_address: '127.0.0.1',
    media_server_address: '127.0.0.1',
    log_file_url: `http://127.0.0.1/logs/${session.sessionId}.log`,
    finish_reason: record.finishReason,
    custom_data: record.customData,
    ...(withCalls
      ? {
          calls: record.calls.map((call, index) => ({
            call_id: session.sessionId * 100 + index,
            start_time: apiDate(call.startedAt),
            duration: call.durationSec,
            local_number: call.callerId,
            remote_number: call.number,
            remote_number_type: 'pstn',
            incoming: false,
            successful: call.successful,
            cost: 0,
            // The real format of end_reason is unverified: "<SIP code> <text>" is assumed.
            end_reason: call.endReason,
            custom_data: null,
            record_url: null,
            transaction_id: session.sessionId * 100 + index,
            media_server_address: '127.0.0.1',
          })),
        }
      : {}),
    records: [],
    other_resource_usage: [],
  };
}
