import { DELETE_TENANT_BATCH, type DeleteTenantOptions } from '../ports/lead-store.js';

/** deleteTenant's batch size, checked: a batch of 0 would never end. */
export function deleteBatchSize(options: DeleteTenantOptions): number {
  const size = options.batchSize ?? DELETE_TENANT_BATCH;
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`deleteTenant: batchSize must be a whole number of 1 or more, got ${size}`);
  }
  return size;
}

/** pruneFinished's arguments, checked alike by every store. */
export function assertPruneArgs(before: number, limit: number): void {
  if (!Number.isFinite(before)) throw new RangeError(`pruneFinished: before must be a time, got ${before}`);
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`pruneFinished: limit must be a whole number of 1 or more, got ${limit}`);
  }
}
