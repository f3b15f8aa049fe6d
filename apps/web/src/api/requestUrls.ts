import type { Alert } from '@ipscope/api';
import { apiUrl, ipApiPath } from './urls';

/** A window and the interval to read it at. */
export interface RangeQuery {
  interval: string;
  from: number;
  to: number;
}

/** The series of some metrics of one IP over a window. */
export interface SeriesQuery extends RangeQuery {
  metrics: readonly string[];
  maxPoints?: number | undefined;
}

/** Which alerts to list. */
export interface AlertsQuery {
  ip?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  status?: Alert['status'] | undefined;
  limit?: number | undefined;
}

/** Peers the IP summary asks for. */
export const SUMMARY_PEERS = 25;

/*
 * The request URLs, built in one place: the web app's fetches and the server's landing-page
 * prefetch (which must name exactly the request the page will make) both use these.
 */

export const seriesQueryValues = (q: SeriesQuery) => ({ metrics: q.metrics, interval: q.interval, from: q.from, to: q.to, maxPoints: q.maxPoints });

/** `GET /api/ips/<ip>/series` for `q`. */
export const seriesUrl = (ip: string, q: SeriesQuery): string => apiUrl(ipApiPath(ip, 'series'), seriesQueryValues(q));

/** `GET /api/ips/<ip>/summary` for `q` (with `peers` peers, the busiest by connections unless `peersBy` says bytes). */
export const summaryUrl = (ip: string, q: RangeQuery & { peers?: number | undefined; peersBy?: 'connections' | 'bytes' | undefined }): string =>
  apiUrl(ipApiPath(ip, 'summary'), { interval: q.interval, from: q.from, to: q.to, peers: q.peers, peersBy: q.peersBy });

/** `GET /api/alerts` for `q`. */
export const alertsUrl = (q: AlertsQuery): string => apiUrl('/api/alerts', { ...q });
