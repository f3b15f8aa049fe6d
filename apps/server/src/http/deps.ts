import type { Cluster, Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { Alert as StoredAlert, AlertEvent as StoredAlertEvent } from '@ipscope/detect';
import type { Store } from '@ipscope/timeseries';
import type { MetricType } from '@ipscope/api';
import type { Logger } from '../log';

/** A metric as the catalog lists it (`describeCatalog()` of @ipscope/metrics; a `MetricDefinition` fits too). */
export interface CatalogEntry {
  name: string;
  type: MetricType;
  key: 'orig' | 'resp';
  unit: string;
  description: string;
  intervals: readonly string[];
  /** Ordered histogram bins with display labels. */
  buckets?: ReadonlyArray<{ value: number | string; label: string }>;
  /** A histogram with one value per peer IP (listed so the web app leaves it out of charts). */
  unbounded?: boolean;
}

/** Filters the alert endpoints pass on (the alert store's own query type accepts these). */
export interface AlertListQuery {
  entity?: string;
  metric?: string;
  severity?: StoredAlert['severity'];
  state?: 'active' | 'ended';
  status?: 'new' | 'acknowledged' | 'resolved';
  from?: number;
  to?: number;
  limit?: number;
}

/** What the API needs of the alert store (`AlertStore` of @ipscope/detect). */
export interface AlertSource {
  /** Key of the alert change stream (read-only use: its newest id). */
  readonly streamKey: string;
  list(query: AlertListQuery): Promise<StoredAlert[]>;
  acknowledge(id: string, who: string): Promise<StoredAlert>;
  resolve(id: string, who: string): Promise<StoredAlert>;
  /** Events after a stream id (`'$'`: only new ones), waiting up to `blockMs` on `connection`. */
  readEvents(afterId?: string, options?: { count?: number; blockMs?: number; connection?: Redis | Cluster }): Promise<Array<{ streamId: string; event: StoredAlertEvent }>>;
}

/** Peer histograms for the IP summary: histogram metrics whose values are peer IPs. */
export interface PeerMetrics {
  /** Connections this IP originated, by responder. */
  out: string;
  /** Connections this IP answered, by originator. */
  in: string;
  /** Optional byte-weighted twins of `out` and `in`. */
  outBytes?: string;
  inBytes?: string;
}

export interface SecurityOptions {
  /** Access token; undefined: no authentication (the server then binds to loopback only). */
  token?: string | undefined;
  /** Origins allowed to call the API from other sites; empty: CORS off. */
  corsOrigins?: readonly string[];
  /** Requests per client per minute on /api and /metrics; 0: off. Default 1200. */
  rateLimit?: number;
  /** Log-in attempts per client per minute. Default 10. */
  loginRateLimit?: number;
  /** Largest JSON body accepted, in bytes. Default 16 KiB. */
  maxBodyBytes?: number;
  /** Express `trust proxy` setting, for client addresses behind a reverse proxy. Default false. */
  trustProxy?: boolean | number | string;
}

export interface LiveOptions {
  /** Concurrent SSE streams per process. Default 100. */
  maxStreams?: number;
  /** Milliseconds between heartbeats. Default 15 000. */
  heartbeatMs?: number;
  /** Milliseconds between checks for closed buckets. Default 1 000. */
  pollMs?: number;
  /** A dedicated Redis connection for blocking reads of the alert stream (e.g. `redis.duplicate()`); without it the stream is polled. */
  blockingConnection?: Redis | Cluster;
}

/** Everything `createApp` needs; `main.ts` builds it. */
export interface AppDeps {
  store: Store;
  catalog: readonly CatalogEntry[];
  alerts: AlertSource;
  log: Logger;
  /** The store's Redis: health checks (`PING`) and the position of the alert change stream. */
  redis: Redis | Cluster;
  /** Kafka health as the ingest role sees it; absent: reported healthy (API-only replicas). */
  kafkaHealthy?: () => Promise<boolean>;
  /** Prometheus registry to add HTTP metrics to and serve at /metrics. Default: a new one. */
  registry?: Registry;
  security?: SecurityOptions;
  live?: LiveOptions;
  peers?: PeerMetrics;
  /** Built web app to serve from the same origin (production). */
  webDist?: string | undefined;
  /**
   * Whether an IP page opened from a link arrives with its charts drawn by the server
   * (SVG streamed after the page's shell). Default true.
   */
  serverCharts?: boolean;
  /** Clock in unix seconds (tests). */
  now?: () => number;
  /**
   * Milliseconds an answer of the overview endpoints (top entities, totals) is served again to
   * identical requests; identical concurrent requests always share one computation. The key
   * includes the bucket of the store's newest data, so a new bucket is never hidden; data added
   * to the open bucket may show up to this late. 0: no reuse. Default 2 000.
   */
  overviewCacheMs?: number;
}
