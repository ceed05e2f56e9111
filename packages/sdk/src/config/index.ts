export { type AbuseConfig, abuseConfigSchema } from './abuse-config.js';
export {
  formatSettingsError,
  parseSettings,
  SettingsError,
  type SettingsIssue,
} from './settings-error.js';
export { plausibleName, renderSmsText, type SmsValues } from './sms-text.js';
export { type TenantConfig, type TenantConfigInput, tenantConfigSchema } from './tenant-config.js';
