// The public surface of @prozvon/adapters-bitrix24: one factory and its options.
export { createBitrix24Crm } from './bitrix24-crm.js';
// The SDK's limiter settings for a plan, without blind re-sends: the Bitrix24 app's own clients use them too.
export { restrictionParams } from './client.js';
export { bitrix24FromEnv } from './from-env.js';
export { oauthAuthFromInstall, type PortalInstallAuth } from './install-auth.js';
export { type Bitrix24CrmOptions, bitrix24CrmOptionsSchema, type RefreshedTokens } from './options.js';
