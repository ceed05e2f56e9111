export { createProzvonMetrics, type ProzvonMetrics, type ProzvonMetricsOptions } from './prozvon-metrics.js';
