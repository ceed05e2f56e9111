export { type AbuseConfig, abuseConfigSchema } from './abuse-config.js';
export { type Env, type EnvReader, envReader } from './env-reader.js';
export {
  formatSettingsError,
  parseSettings,
  SettingsError,
  type SettingsIssue,
} from './settings-error.js';
export { plausibleName, renderSmsText, type SmsValues } from './sms-text.js';
export { type TenantConfig, type TenantConfigInput, tenantConfigSchema } from './tenant-config.js';
