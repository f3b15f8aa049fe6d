import type { Store } from '@ipscope/timeseries';
import type { Logger } from '../log';
import type { CatalogLookup } from './catalogLookup';
import type { AlertSource, PeerMetrics } from './deps';
import type { ResultCache } from './resultCache';

/** What the route handlers share. */
export interface ApiContext {
  store: Store;
  lookup: CatalogLookup;
  alerts: AlertSource;
  log: Logger;
  peers: PeerMetrics | undefined;
  /** Clock in unix seconds. */
  now: () => number;
  /** Serialized answers of the overview endpoints (top, totals), shared between identical requests. */
  overviewCache: ResultCache<string>;
}
