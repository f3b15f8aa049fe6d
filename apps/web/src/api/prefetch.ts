import type { QueryClient } from '@tanstack/react-query';
import { ipPageQueries } from '../pages/ip/ipPageQueries';
import { matchRoute } from '../router/routes';
import { parseView } from '../state/viewState';
import { fetchAlerts, fetchCatalog, fetchSeries, fetchSummary, SUMMARY_PEERS } from './client';
import { keys } from './queryKeys';

/**
 * Starts the requests the landing page will make while its code is still loading: the
 * catalog always, and for an IP page its series, summary and alerts (same keys as the page
 * computes, so the page finds them in the cache instead of asking again). The IP page's
 * requests wait for `codeFetched` too: one server process serves the code and the data, and
 * code asked for while it works on a series read trickles out behind it. Resolves once they
 * are all sent, not when they are answered, with `firstScreen`: settles when the series of
 * the first screen's charts has been answered (or failed; at once when there is none).
 * Failures are left to the page, which asks again
 * and shows the error. `now` must be the clock the page will use (its live clock), so the
 * keys match: a relative range read at another minute would be a second, wasted read.
 */
export async function prefetchLanding(
  queryClient: QueryClient,
  location: { pathname: string; search: string },
  options: { codeFetched?: Promise<void> | undefined; now?: number | undefined } = {},
): Promise<LandingPrefetch> {
  const { codeFetched, now = Math.floor(Date.now() / 1000) } = options;
  const [catalog] = await Promise.all([
    queryClient.ensureQueryData({ queryKey: keys.catalog, queryFn: ({ signal }) => fetchCatalog(signal), staleTime: 5 * 60_000 }).catch(() => undefined),
    codeFetched,
  ]);
  const route = matchRoute(location.pathname);
  if (route.name !== 'ip' || !route.valid) return { firstScreen: Promise.resolve(), allSeries: Promise.resolve() };
  const { view } = parseView(location.search);
  const q = ipPageQueries(route.ip, view, now, catalog);
  const parts = (q.seriesParts ?? []).map((part) =>
    queryClient.prefetchQuery({ queryKey: keys.series(route.ip, part), queryFn: ({ signal }) => fetchSeries(route.ip, part, signal) }),
  );
  void queryClient.prefetchQuery({ queryKey: keys.summary(route.ip, q.summary), queryFn: ({ signal }) => fetchSummary(route.ip, { ...q.summary, peers: SUMMARY_PEERS }, signal) });
  void queryClient.prefetchQuery({ queryKey: keys.alerts(q.alerts), queryFn: ({ signal }) => fetchAlerts(q.alerts, signal) });
  return { firstScreen: parts[0] ?? Promise.resolve(), allSeries: Promise.all(parts).then(() => undefined) };
}

/** What `prefetchLanding` started. */
export interface LandingPrefetch {
  /** Settles once the first screen's series is answered (prefetches never reject). */
  firstScreen: Promise<void>;
  /** Settles once every part of the series is answered. */
  allSeries: Promise<void>;
}
