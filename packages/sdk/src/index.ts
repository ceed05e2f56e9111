// The public surface of @prozvon/sdk: curated, one line per concept.
export * from './config/index.js';
export * from './hours/index.js';
export * from './lead/index.js';
export * from './machine/index.js';
export * from './phone/index.js';
export * from './ports/index.js';
