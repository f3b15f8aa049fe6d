import type { AlertsQuery, RangeQuery, SeriesQuery, TopQuery } from './client';

/** Query keys: every data query starts with `data`, so live updates refresh them all at once. */
export const keys = {
  data: ['data'] as const,
  catalog: ['catalog'] as const,
  totals: (q: RangeQuery) => ['data', 'totals', q] as const,
  top: (q: TopQuery) => ['data', 'top', q] as const,
  alerts: (q: AlertsQuery) => ['data', 'alerts', q] as const,
  series: (ip: string, q: SeriesQuery) => ['data', 'series', ip, q] as const,
  summary: (ip: string, q: RangeQuery) => ['data', 'summary', ip, q] as const,
};
