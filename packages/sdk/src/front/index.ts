export { createProzvon, type Prozvon, type ProzvonOptions } from './create-prozvon.js';
export {
  createProzvonHost,
  type IntakeRouteOptions,
  type OrderFormRouteOptions,
  type ProzvonHost,
  type ProzvonHostOptions,
} from './create-prozvon-host.js';
export { tenantFromVoicePath } from './voice-path-tenant.js';
