import type { InjectedError } from '../core/faults.js';

/** Failures a Bitrix24 portal really gives, for `sim.faults.failNext(n, bitrix24Faults.…)`. */
export const bitrix24Faults = {
  /** The portal's nginx when the backend is down: HTML, not JSON (the SDK retries it). */
  badGateway: {
    status: 502,
    body: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
    headers: { 'content-type': 'text/html' },
  },
  queryLimit: {
    status: 503,
    body: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' },
  },
  overload: {
    status: 503,
    body: { error: 'OVERLOAD_LIMIT', error_description: 'REST API is blocked due to overload.' },
  },
  internal: {
    status: 500,
    body: { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' },
  },
  portalDeleted: { status: 500, body: { error: 'PORTAL_DELETED', error_description: 'Portal was deleted' } },
  reset: 'reset',
} as const satisfies Record<string, InjectedError>;
