/**
 * What the simulated network does with a message to one number, whichever gateway is asked.
 * Each gateway answers it in its own words (see the tables in smsru.ts, smsc.ts, twilio.ts):
 *
 * | behaviour     | SMS.ru                    | SMSC.ru                  | Twilio                 |
 * |---------------|---------------------------|--------------------------|------------------------|
 * | sent          | per number 100 + sms_id   | `{id, cnt}`              | 201, status `queued`   |
 * | bad_number    | per number 202            | error 7                  | 400, 21211             |
 * | blocked       | per number 209 (stop list)| error 8                  | 400, 21610 (STOP)      |
 * | out_of_funds  | request 201               | error 3                  | 401, 20005 (assumed)   |
 * | rate_limited  | request 206 (daily limit) | error 4 (IP blocked)     | 429, 20429             |
 * | provider_down | request 220               | HTTP 503 (assumed)       | 503, 20503 (assumed)   |
 */
export const SMS_BEHAVIOURS = [
  'sent',
  'bad_number',
  'blocked',
  'out_of_funds',
  'rate_limited',
  'provider_down',
] as const;

export type SmsBehaviour = (typeof SMS_BEHAVIOURS)[number];

/** Behaviours that fail the whole request rather than one recipient in it. */
export function failsWholeRequest(behaviour: SmsBehaviour): boolean {
  return behaviour === 'out_of_funds' || behaviour === 'rate_limited' || behaviour === 'provider_down';
}
