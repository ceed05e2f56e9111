/**
 * A REST error as the portal sends it: `{ error, error_description }` with an HTTP status.
 * Method handlers throw it; the router and `batch` turn it into the envelope.
 */
export class RestError extends Error {
  readonly status: number;
  readonly code: string;
  /** Extra keys some methods add next to the pair (`placement.bind` adds `argument`). */
  readonly extra: Record<string, unknown> | undefined;

  constructor(status: number, code: string, description: string, extra?: Record<string, unknown>) {
    super(description);
    this.name = 'RestError';
    this.status = status;
    this.code = code;
    this.extra = extra;
  }

  toBody(): Record<string, unknown> {
    return { error: this.code, error_description: this.message, ...this.extra };
  }
}

/** Legacy CRM methods answer `400 {"error":"","error_description":"Not found"}` (BITRIX24.md §1). */
export function legacyError(description: string): RestError {
  return new RestError(400, '', description);
}

// The system errors of BITRIX24.md §1. Descriptions are the portal's English texts where known.
export const systemErrors = {
  noAuth: () => new RestError(401, 'NO_AUTH_FOUND', 'Wrong authorization data'),
  expiredToken: () => new RestError(401, 'expired_token', 'The access token provided has expired.'),
  insufficientScope: () =>
    new RestError(
      403,
      'insufficient_scope',
      'The request requires higher privileges than provided by the access token',
    ),
  wrongAuthType: () =>
    new RestError(403, 'WRONG_AUTH_TYPE', 'Current authorization type is denied for this method'),
  methodNotFound: () => new RestError(404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!'),
  queryLimit: () => new RestError(503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests'),
  operationTimeLimit: () =>
    new RestError(429, 'OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.'),
  httpsRequired: () => new RestError(400, 'INVALID_REQUEST', 'Https required.'),
} as const;
