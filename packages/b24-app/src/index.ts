// @prozvon/b24-app: the Bitrix24 app — one Koa server for every installed portal.
export { type AppOptions, type RunningApp, startApp } from './app.js';
export { type AppConfig, appConfigFromEnv } from './config/app-config.js';
export { checkPortalSecret } from './intake/check-portal-secret.js';
export type { CorezoidOpAnswer } from './intake/corezoid-answer.js';
export { type CorezoidHandlerOptions, createCorezoidHandler } from './intake/corezoid-handler.js';
export { leadFromCorezoidData, POST_FIELDS } from './intake/corezoid-lead.js';
export { corsFor } from './intake/cors.js';
export { type IntakeSecrets, intakeSecretCheck } from './intake/intake-secrets.js';
export type { FindPortalIntake, PortalIntake } from './intake/portal-intake.js';
export {
  createPortalIntakeHandler,
  type PortalIntakeHandlerOptions,
} from './intake/portal-intake-handler.js';
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
export { PATHS } from './server.js';
export { type OperatorDefaults, operatorDefaultsFromEnv } from './tenants/operator-defaults.js';
