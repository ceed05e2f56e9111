export { createIntakeHandler, type IntakeHandlerOptions } from './intake-handler.js';
export { jsonResponse } from './json-response.js';
