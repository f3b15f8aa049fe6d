import type { MetricInfo } from '@ipscope/api';

/** The series endpoint takes at most this many metrics per request. */
export const MAX_METRICS = 32;

/**
 * The metrics the IP page charts when the URL names none: every catalog metric kept at the
 * interval, in catalog order, except unbounded histograms (one value per peer IP: the peers
 * table shows them, a chart of hundreds of stacked peers would not be read).
 */
export function defaultMetrics(catalog: readonly MetricInfo[], interval: string): string[] {
  return catalog.filter((m) => m.intervals.includes(interval) && m.unbounded !== true).map((m) => m.name).slice(0, MAX_METRICS);
}
