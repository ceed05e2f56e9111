import type { SmsState } from './sms-state.js';

/** The resolved settings of each gateway; balances change as messages are charged. */
export interface SmsRuConfig {
  apiId: string;
  senders: string[];
  balance: number;
  pricePerPart: number;
}
export interface SmscConfig {
  login: string;
  password: string;
  apiKey: string;
  senders: string[];
  balance: number;
  pricePerPart: number;
}
export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  from: string[];
  messagingServiceSids: string[];
}

/** What a gateway handler needs: the shared state, its settings and the simulator's clock. */
export interface GatewayContext<Config> {
  state: SmsState;
  config: Config;
  now(): number;
}

/** A parsed request, so handlers stay free of Node's streams. */
export interface GatewayRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  rawBody: string;
  contentType: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A handler's answer, written by the simulator. */
export interface GatewayResponse {
  status: number;
  body: unknown;
  /** Text answers (SMS.ru without json=1, SMSC fmt≠3) are sent as-is. */
  text?: boolean;
  headers?: Record<string, string>;
}
