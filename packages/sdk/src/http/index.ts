export { clientAddress, withClientAddress } from './client-address.js';
export { createHealthHandler, type HealthHandlerOptions } from './health-handler.js';
export { answerSubmit } from './intake-answer.js';
export { decodeIntakeBody, INTAKE_MEDIA_TYPES, intakeMediaType } from './intake-body.js';
export {
  createIntakeHandler,
  type IntakeHandlerOptions,
  type IntakeSecretCheck,
  MIN_INTAKE_SECRET_LENGTH,
} from './intake-handler.js';
export { jsonResponse } from './json-response.js';
export {
  CUSTOMER_FIELDS,
  createOrderFormHandler,
  type OrderFacts,
  type OrderFormHandlerOptions,
} from './order-form-handler.js';
export { type BoundedBody, readBoundedBody } from './read-bounded-body.js';
export { referralFromCookies } from './referral-cookies.js';
export { sameSecret } from './same-secret.js';
export { tenantErrorResponse, unavailableResponse, unknownTenantResponse } from './tenant-error-response.js';
