import type { AlertsResponse, CatalogResponse, SeriesResponseV1, SummaryResponse, TopEntitiesResponse, TotalsResponse } from '@ipscope/api';
import { ApiError, apiErrorFrom } from './apiError';
import { alertsUrl, seriesQueryValues, seriesUrl, summaryUrl, type AlertsQuery, type RangeQuery, type SeriesQuery } from './requestUrls';
import { apiUrl, ipApiPath } from './urls';

export { SUMMARY_PEERS, seriesQueryValues, type AlertsQuery, type RangeQuery, type SeriesQuery } from './requestUrls';

async function request<T>(url: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers: { accept: 'application/json', ...init?.headers } });
  } catch {
    throw new ApiError(0, 'Cannot reach the ipscope server: is it running?', 'network');
  }
  if (!res.ok) throw await apiErrorFrom(res);
  try {
    return (await res.json()) as T;
  } catch {
    throw new ApiError(res.status, 'The server sent a response that is not JSON', 'bad_response');
  }
}

export const fetchCatalog = (signal?: AbortSignal) => request<CatalogResponse>('/api/metrics', { signal });

export const fetchTotals = (q: RangeQuery, signal?: AbortSignal) => request<TotalsResponse>(apiUrl('/api/totals', { ...q }), { signal });

export interface TopQuery extends RangeQuery {
  metric: string;
  limit: number;
  cidr?: string | undefined;
  sparkPoints?: number | undefined;
}
export const fetchTop = (q: TopQuery, signal?: AbortSignal) =>
  request<TopEntitiesResponse>(
    apiUrl('/api/entities/top', { metric: q.metric, interval: q.interval, from: q.from, to: q.to, limit: q.limit, cidr: q.cidr, sparkPoints: q.sparkPoints }),
    { signal },
  );

export const fetchAlerts = (q: AlertsQuery, signal?: AbortSignal) => request<AlertsResponse>(alertsUrl(q), { signal });

/** The series of one IP; leaves the mark `ipscope:series-parsed` when the answer is parsed (the page's draw timeline starts there). */
export const fetchSeries = (ip: string, q: SeriesQuery, signal?: AbortSignal) =>
  request<SeriesResponseV1>(seriesUrl(ip, q), { signal }).then((body) => {
    performance.mark('ipscope:series-parsed');
    return body;
  });

/** The CSV of the given series (server-made: ISO-8601 UTC timestamps, one column per metric; loads in pandas as it is). */
export const exportCsvUrl = (ip: string, q: SeriesQuery) => apiUrl(ipApiPath(ip, 'export.csv'), seriesQueryValues(q));

export const fetchSummary = (ip: string, q: RangeQuery & { peers?: number; peersBy?: 'connections' | 'bytes' }, signal?: AbortSignal) =>
  request<SummaryResponse>(summaryUrl(ip, q), { signal });

/** Acknowledges or resolves an alert as `by`; answers with the alert as it is now. */
export const actOnAlert = (id: string, action: 'acknowledge' | 'resolve', by: string) =>
  request<unknown>(`/api/alerts/${encodeURIComponent(id)}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ by }),
  });
