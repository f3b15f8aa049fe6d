import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import type { IntervalInfo, MetricInfo } from '@ipscope/api';
import { mergeSeriesParts, type MergedSeries } from '../pages/ip/seriesParts';
import { DEFAULT_INTERVALS } from '../state/timeRange';
import { fetchAlerts, fetchCatalog, fetchSeries, fetchSummary, fetchTop, fetchTotals, SUMMARY_PEERS, type AlertsQuery, type RangeQuery, type SeriesQuery, type TopQuery } from './client';
import { keys } from './queryKeys';

export { keys };


/** The metric catalog; it changes only when the server restarts with another one. */
export function useCatalog() {
  return useQuery({ queryKey: keys.catalog, queryFn: ({ signal }) => fetchCatalog(signal), staleTime: 5 * 60_000 });
}

/** The catalog's intervals, or the seed's defaults while it loads (so the first data request need not wait). */
export function useIntervals(): readonly IntervalInfo[] {
  const catalog = useCatalog();
  return catalog.data?.intervals.length ? catalog.data.intervals : DEFAULT_INTERVALS;
}

/** Metric descriptions by name, for titles and table headings. */
export function useMetricInfo(): ReadonlyMap<string, MetricInfo> {
  const catalog = useCatalog();
  const map = new Map<string, MetricInfo>();
  for (const m of catalog.data?.metrics ?? []) map.set(m.name, m);
  return map;
}

// Range changes keep the previous data on screen (dimmed) until the new data arrives, instead of flashing skeletons.
export const useTotals = (q: RangeQuery) =>
  useQuery({ queryKey: keys.totals(q), queryFn: ({ signal }) => fetchTotals(q, signal), placeholderData: keepPreviousData });

export const useTop = (q: TopQuery | undefined) =>
  useQuery({ queryKey: keys.top(q!), queryFn: ({ signal }) => fetchTop(q!, signal), enabled: q !== undefined, placeholderData: keepPreviousData });

export const useAlerts = (q: AlertsQuery) =>
  useQuery({ queryKey: keys.alerts(q), queryFn: ({ signal }) => fetchAlerts(q, signal), placeholderData: keepPreviousData });

/** The series of one view, read in parts (see `splitSeriesQuery`); what has arrived, merged, plus an error and a retry for all parts. */
export interface SeriesProgress extends MergedSeries {
  error: Error | null;
  refetch: () => void;
}

/** Reads a view's series in parts and merges what has arrived: the leading parts are drawn while the others load. */
export function useSeriesParts(ip: string, parts: readonly SeriesQuery[] | undefined): SeriesProgress {
  return useQueries({
    queries: (parts ?? []).map((q) => ({ queryKey: keys.series(ip, q), queryFn: ({ signal }: { signal: AbortSignal }) => fetchSeries(ip, q, signal), placeholderData: keepPreviousData })),
    combine: (results) => ({
      ...mergeSeriesParts(results.map((r) => ({ data: r.data, isPlaceholderData: r.isPlaceholderData }))),
      error: results.find((r) => r.error)?.error ?? null,
      refetch: () => {
        for (const r of results) if (r.isError) void r.refetch();
      },
    }),
  });
}

export const useSummary = (ip: string, q: RangeQuery) =>
  useQuery({ queryKey: keys.summary(ip, q), queryFn: ({ signal }) => fetchSummary(ip, { ...q, peers: SUMMARY_PEERS }, signal), placeholderData: keepPreviousData });

/** The summary listing the IP's heaviest peers by bytes (asked only while the peers table is ordered by bytes). */
export const useHeaviestPeers = (ip: string, q: RangeQuery, enabled: boolean) =>
  useQuery({
    queryKey: [...keys.summary(ip, q), 'bytes'],
    queryFn: ({ signal }) => fetchSummary(ip, { ...q, peers: SUMMARY_PEERS, peersBy: 'bytes' }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
