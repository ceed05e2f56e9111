// The example's pieces, for its tests and for a shop that copies them.
export { createShopApp, DEFAULT_PRODUCT, type ShopAppOptions } from './app.js';
export { DEMO_PHONES, type DemoPhone, UNUSABLE_DEMO_PHONE } from './demo-numbers.js';
export { type GeoPlace, geoipLite, type Locate } from './geo.js';
export { formatDuration, liveLines } from './live-lines.js';
export { type OrderIntakeOptions, orderFacts, type Product } from './order-intake.js';
export { ORDER_PATH, VOICE_CALLBACK_PATH } from './paths.js';
export { referralCookies, UTM_PARAMS } from './referral.js';
export { type AdapterSettings, missingServices, SERVICES, settingsFromEnv } from './settings.js';
export { type RunningShop, type ShopOptions, startShop } from './shop.js';
export { DEMO_PARTNER, type Simulators, type SimulatorsOptions, startSimulators } from './simulators.js';
