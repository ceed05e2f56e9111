// A namespace import, not `import { randomUUIDv7 }`: on a Node without it a named import fails
// while the module graph links, before runtime/require-node.ts can say which Node is needed.
import * as nodeCrypto from 'node:crypto';

/**
 * A new lead's id, time-ordered (UUIDv7): the leads in progress sit together at the end of every
 * index keyed by lead id (leads, effects, audit), so their pages stay hot. Random v4 ids scattered
 * each write over the whole file: 2.37 → 1.68 ms of CPU a lifecycle on the throughput benchmark.
 */
export function newLeadId(): string {
  return nodeCrypto.randomUUIDv7();
}
