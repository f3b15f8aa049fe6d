import type { MetricSeries } from '@ipscope/api';

/** Whether a series has anything to draw: a non-zero number or a non-empty histogram bucket. */
export function seriesHasData(series: MetricSeries): boolean {
  if (series.kind === 'histogram') return series.points.some(([, counts]) => Object.values(counts).some((n) => n !== 0));
  return series.points.some(([, v]) => v !== null && v !== 0);
}
