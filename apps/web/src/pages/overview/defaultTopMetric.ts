import type { MetricInfo } from '@ipscope/api';

/**
 * The metric the busiest-IPs table ranks by when the URL names none: the seed's own
 * question ("how often did this IP answer connections") if the catalog has it, else the
 * first count.
 */
export function defaultTopMetric(metrics: readonly MetricInfo[]): string | undefined {
  const counts = metrics.filter((m) => m.type === 'count');
  const responded = counts.find((m) => m.key === 'resp' && m.unit === 'connections');
  return (responded ?? counts[0] ?? metrics[0])?.name;
}
