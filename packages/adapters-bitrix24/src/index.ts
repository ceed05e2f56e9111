// The public surface of @prozvon/adapters-bitrix24: one factory and its options.
export { createBitrix24Crm } from './bitrix24-crm.js';
export { bitrix24FromEnv } from './from-env.js';
export { oauthAuthFromInstall, type PortalInstallAuth } from './install-auth.js';
export { type Bitrix24CrmOptions, bitrix24CrmOptionsSchema, type RefreshedTokens } from './options.js';
