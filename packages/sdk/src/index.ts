// The public surface of @prozvon/sdk: curated, one line per concept.
// Optional parts live under subpaths: `@prozvon/sdk/stores/sqlite`, `@prozvon/sdk/testing`.
import './runtime/require-node.js';

export * from './config/index.js';
export * from './engine/index.js';
export * from './front/index.js';
export * from './hours/index.js';
export * from './http/index.js';
export * from './lead/index.js';
export * from './machine/index.js';
export * from './phone/index.js';
export * from './ports/index.js';
export { MemoryLeadStore } from './stores/memory-lead-store.js';
