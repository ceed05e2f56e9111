// @prozvon/b24-app: the Bitrix24 app. So far its foundation: the portal store and secrets at rest.
export { MemoryPortalStore } from './portals/memory-portal-store.js';
export { APP_MIGRATIONS, APP_MIGRATIONS_TABLE } from './portals/portal-migrations.js';
export {
  EMPTY_SETTINGS,
  newPortalKey,
  PORTAL_STATUSES,
  type Portal,
  type PortalInstall,
  type PortalSettings,
  type PortalStatus,
  type PortalStore,
  type PortalTokens,
  type SettingsChange,
  type SettingsUpdate,
  type TokenUpdate,
} from './portals/portal-store.js';
export { OLD_MASTER_KEYS_VARIABLE, secretBoxFromEnv } from './portals/secret-box-from-env.js';
export {
  MASTER_KEY_VARIABLE,
  type MasterKey,
  mask,
  parseMasterKey,
  SecretBox,
  SecretError,
} from './portals/secrets.js';
export { SqlitePortalStore, type SqlitePortalStoreOptions } from './portals/sqlite-portal-store.js';
