// @prozvon/b24-app: the Bitrix24 app. So far its foundation: the portal store, secrets at rest,
// and OAuth per portal (one refresh at a time, across processes).
export { crmAuthForPortal } from './oauth/crm-auth.js';
export { IDLE_REFRESH_AFTER_MS, type IdleRefreshReport, refreshIdlePortals } from './oauth/idle-refresh.js';
export {
  type AppCredentials,
  OAuthRefusal,
  requestTokenRefresh,
  tokenUrl,
} from './oauth/oauth-token-request.js';
export { PortalClients, type PortalClientsOptions } from './oauth/portal-clients.js';
export { portalRefresh } from './oauth/portal-refresh.js';
export {
  type FreshTokens,
  PortalTokenRefresher,
  type TokenRefresherOptions,
} from './oauth/token-refresher.js';
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
