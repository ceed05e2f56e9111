export {
  generateTestkitCertificates,
  type TestkitCertificates,
  testkitCertificates,
  trustTestkitCa,
} from '../tls/index.js';
export type { AppRecord, AppSeed, AuthPayload } from './apps.js';
export { type Bitrix24Clock, ManualClock } from './clock.js';
export type { Row } from './crm/entity-store.js';
export type { MultiValue } from './crm/multifield.js';
export { RestError } from './errors.js';
export { bitrix24Faults } from './faults.js';
export type { FrameCommand, FrameSessionOptions } from './frame.js';
export type { FrameOptions, InstallOptions, InstallResult } from './install.js';
export { CLOUD_OPERATING_LIMIT, type OperatingLimit, RATE_LIMITS, type RateLimit } from './limiter.js';
export type { Bitrix24SimOptions, PortalSeed, WebhookSeed } from './options.js';
export { decodePhpParams, decodePhpQuery, encodePhpParams } from './php-query.js';
export { Portal, type PortalUserSeed, type RestRequestCounts } from './portal.js';
export type * from './records.js';
export { type Bitrix24Sim, startBitrix24Sim } from './sim.js';
export { Bitrix24State } from './state.js';
export type { CallbackRequest, ClickToCall } from './telephony-events.js';
