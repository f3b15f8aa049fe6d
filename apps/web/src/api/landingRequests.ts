import type { CatalogResponse } from '@ipscope/api';
import { ipPageQueries } from '../pages/ip/ipPageQueries';
import { matchRoute } from '../router/routes';
import { parseView } from '../state/viewState';
import { alertsUrl, seriesUrl, summaryUrl, SUMMARY_PEERS } from './requestUrls';

/**
 * The data requests (`/api/...` paths with their queries) the page at `location` sends as
 * soon as it loads, given the catalog, at `now` (unix seconds), exactly as the page's own
 * fetches spell them, in the order the page needs the answers: for an IP page the first
 * screen's series, the alerts (marked on the charts), the rest of the series, then the
 * summary; none for other pages. Pure and DOM-free: the server calls it when it serves the
 * page's HTML, to read that data before the browser asks (a prefetch keyed by these URLs).
 */
export function landingRequests(location: { pathname: string; search: string }, catalog: CatalogResponse, now: number): string[] {
  const route = matchRoute(location.pathname);
  if (route.name !== 'ip' || !route.valid) return [];
  const { view } = parseView(location.search);
  const q = ipPageQueries(route.ip, view, now, catalog);
  const [first, ...rest] = (q.seriesParts ?? []).map((part) => seriesUrl(route.ip, part));
  return [...(first ? [first] : []), alertsUrl(q.alerts), ...rest, summaryUrl(route.ip, { ...q.summary, peers: SUMMARY_PEERS })];
}
