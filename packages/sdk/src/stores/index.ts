// @prozvon/sdk/stores: what a LeadStore outside the SDK (the PostgreSQL one) shares with the SDK's
// own stores, so that every store answers the dashboard and files "it was a person" the same way:
// imported, not copied.
export { byLeadClaimOrder } from './claim-order.js';
export { type PeriodDay, periodDays } from './dashboard-days.js';
export {
  assembleDashboard,
  type DayRow,
  type FiguresRow,
  type GroupRow,
  NO_OUTCOMES,
  percentileOf,
} from './dashboard-figures.js';
export {
  addRollupRow,
  addSpeedRow,
  BLOCK_DAYS,
  dayQuarters,
  dayRowOf,
  newRollupTally,
  type PeriodParts,
  periodParts,
  QUARTER_MS,
  ROLLUP_COUNTS,
  type RollupTally,
  rollupSpans,
  tallyDashboard,
  wholeDaysOf,
} from './dashboard-rollup-sums.js';
export { assertPruneArgs, deleteBatchSize } from './delete-batch.js';
export { machinePersonAudit } from './machine-person-audit.js';
export { bucketedDelay, SPEED_BUCKET_LOWER, speedBucket } from './speed-buckets.js';
