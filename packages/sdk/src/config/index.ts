export {
  renderSmsText,
  type TenantConfig,
  type TenantConfigInput,
  tenantConfigSchema,
} from './tenant-config.js';
