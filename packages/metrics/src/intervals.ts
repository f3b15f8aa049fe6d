/** A retention interval: buckets of `step` seconds, `steps` of them kept. */
export interface IntervalConfig {
  step: number;
  steps: number;
}

/**
 * The seed's two intervals: minute buckets for two days, half-hour buckets
 * for twelve weeks. Metric definitions name the intervals they are kept on.
 */
export const seedIntervals: Readonly<Record<'days' | 'months', IntervalConfig>> = Object.freeze({
  days: Object.freeze({ step: 60, steps: 2880 }),
  months: Object.freeze({ step: 1800, steps: 4032 }),
});
