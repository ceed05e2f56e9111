export { createIntakeHandler, type IntakeHandlerOptions } from './intake-handler.js';
export { jsonResponse } from './json-response.js';
export { type BoundedBody, readBoundedBody } from './read-bounded-body.js';
