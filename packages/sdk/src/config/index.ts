export { type AbuseConfig, abuseConfigSchema } from './abuse-config.js';
export { plausibleName, renderSmsText, type SmsValues } from './sms-text.js';
export { type TenantConfig, type TenantConfigInput, tenantConfigSchema } from './tenant-config.js';
