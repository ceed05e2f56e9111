import type { InjectedError } from '../core/faults.js';

/**
 * Management API errors, `{"error": {code, msg}}`. They come with HTTP 200 (the official client
 * resolves them rather than rejecting, VOXIMPLANT.md); the HTTP status of a real failure is
 * unverified, so the simulator uses 200 for every API error and lets faults inject other statuses.
 */
export interface ApiError {
  readonly error: { readonly code: number; readonly msg: string };
}

export function apiError(code: number, msg: string): ApiError {
  return { error: { code, msg } };
}

export const AUTHORIZATION_FAILED = apiError(100, 'Authorization failed');
export const UNKNOWN_COMMAND = apiError(103, 'Unknown command');

/**
 * What StartScenarios answers an account with no money, in the simulator. The management API's
 * error list (voximplant.com/docs/references/httpapi/errors) has no "insufficient funds" code; its
 * one billing code is 5 "Billing failed", and "Insufficient funds" is the platform's documented
 * wording (a session's finish_reason, CallEvents.Failed 402). Code and text together are a guess
 * (unverified): the adapter must recognise the words, whatever the code.
 */
export const VOXIMPLANT_INSUFFICIENT_FUNDS = apiError(5, 'Insufficient funds');

/** An API error as a fault: `sim.faults.failNext(1, voximplantApiFault(2, 'Internal error'))`. */
export function voximplantApiFault(code: number, msg: string): InjectedError {
  return { status: 200, body: apiError(code, msg) };
}

/**
 * More than 200 requests in flight: "the 429 code error (Too Many Requests)". Whether 429 is the
 * HTTP status or `error.code` is unverified; this fault carries both, and tests can inject either.
 */
export const VOXIMPLANT_TOO_MANY_REQUESTS: InjectedError = {
  status: 429,
  body: apiError(429, 'Too Many Requests'),
};

/** What an outage looks like from outside: a gateway error page, not JSON. */
export const VOXIMPLANT_DEFAULT_FAULT: InjectedError = {
  status: 502,
  body: '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>',
  headers: { 'content-type': 'text/html' },
};
