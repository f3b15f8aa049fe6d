import express, { Router, type Express, type RequestHandler } from 'express';
import { Registry } from 'prom-client';
import { buildOpenApi } from '@ipscope/api';
import type { ApiContext } from './apiContext';
import { createAuth, safeNext } from './auth';
import { CatalogLookup } from './catalogLookup';
import { cors } from './cors';
import type { AppDeps } from './deps';
import { ForbiddenError, HttpError, errorHandler, notFound } from './errors';
import { createHttpMetrics } from './httpMetrics';
import { LandingPrefetch, type LandingPrefetchStats } from './landingPrefetch';
import { LiveFeed } from './liveFeed';
import { clientRateLimit } from './rateLimit';
import { requestId } from './requestId';
import { ResultCache } from './resultCache';
import { loginRoutes } from './loginPage';
import { alertRoutes } from './routes/alertRoutes';
import { catalogRoutes } from './routes/catalogRoutes';
import { ipRoutes } from './routes/ipRoutes';
import { healthRoute, prometheusRoute } from './routes/opsRoutes';
import { streamRoute } from './routes/streamRoute';
import { topRoutes } from './routes/topRoutes';
import { noStore, securityHeaders } from './securityHeaders';
import { ServerCharts, type ServerChartsStats } from './serverCharts';
import { SseHub } from './sseHub';
import { webAppRoutes } from './webApp';
import { landingRequests } from '@ipscope/web/serverContract';

/** The API application and what must be stopped with it (live streams, the live feed). */
export interface ApiApp {
  app: Express;
  /** Live streams hub (open stream count, for tests and metrics). */
  hub: SseHub;
  /** Whether requests need a token. */
  authRequired: boolean;
  /** Hits and misses of the overview cache (top entities, totals). */
  overviewCacheStats(): { hits: number; misses: number };
  /** Landing-page data read ahead and handed to the page's requests. */
  prefetchStats(): LandingPrefetchStats;
  /** IP pages sent with server-drawn charts, and what drawing them cost. */
  serverChartStats(): ServerChartsStats;
  /** Ends live streams and stops the live feed; call before closing the HTTP server. */
  close(): Promise<void>;
}

const MAX_URL_LENGTH = 4096;

/** The log-in endpoint takes JSON (API clients, the web app) or the `/login` form. */
const jsonOrForm: RequestHandler = (req, _res, next) => {
  next(req.is(['application/json', 'application/x-www-form-urlencoded']) ? undefined : new HttpError(415, 'unsupported_media_type', 'body: send JSON with "Content-Type: application/json"', 'body'));
};

const urlLimit: RequestHandler = (req, _res, next) => {
  next(req.originalUrl.length > MAX_URL_LENGTH ? new HttpError(414, 'uri_too_long', `the URL is longer than ${MAX_URL_LENGTH} characters`) : undefined);
};

/**
 * Rejects state-changing requests sent from another site's page, unless that origin is allowed
 * by CORS. Same site = the Origin's host:port is the Host the request came to (the scheme is not
 * compared, so a TLS-terminating proxy in front does not break it).
 */
function sameOriginWrites(allowed: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    const origin = req.headers.origin;
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS' || typeof origin !== 'string') return next();
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    next((host !== undefined && host === req.headers.host) || allowed.includes(origin) ? undefined : new ForbiddenError(`requests from ${origin.slice(0, 100)} may not change data here`));
  };
}

/**
 * The chart-data API (backend-for-frontend) as an Express app:
 *
 * - `/api/*`: catalog, top entities, series, summary, export, alerts, live stream, session,
 *   OpenAPI document; JSON bodies; every parameter validated (400 naming it), unknown
 *   routes 404, server errors 500 with a request id and nothing internal;
 * - `/healthz`, `/metrics` (Prometheus);
 * - the built web app, when `webDist` holds one, from the same origin;
 * - security: strict CSP and other headers, CORS only for configured origins, per-client
 *   rate limit, 16 KiB bodies and 4 KiB URLs, bearer token or session cookie when a token
 *   is configured.
 */
export function createApp(deps: AppDeps): ApiApp {
  const security = deps.security ?? {};
  const corsOrigins = security.corsOrigins ?? [];
  const registry = deps.registry ?? new Registry();
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const hub = new SseHub({ ...(deps.live?.maxStreams !== undefined ? { maxStreams: deps.live.maxStreams } : {}), ...(deps.live?.heartbeatMs !== undefined ? { heartbeatMs: deps.live.heartbeatMs } : {}), log: deps.log });
  const lookup = new CatalogLookup(deps.catalog, deps.store);
  const overviewCache = new ResultCache<string>({ ttlMs: deps.overviewCacheMs ?? 2000 });
  const ctx: ApiContext = { store: deps.store, lookup, alerts: deps.alerts, log: deps.log, peers: deps.peers, now, overviewCache };
  const feed = new LiveFeed({
    newest: () => deps.store.newest(),
    intervals: [...lookup.intervals.values()],
    alerts: deps.alerts,
    lastAlertStreamId: async () => {
      const last = await deps.redis.xrevrange(deps.alerts.streamKey, '+', '-', 'COUNT', 1);
      return last[0]?.[0] ?? '0-0';
    },
    hub,
    log: deps.log,
    ...(deps.live?.pollMs !== undefined ? { pollMs: deps.live.pollMs } : {}),
    blockingConnection: deps.live?.blockingConnection,
  });
  const auth = createAuth({ token: security.token });
  const limit = clientRateLimit({ limit: security.rateLimit ?? 1200 });
  const loginLimit = clientRateLimit({ limit: security.loginRateLimit ?? 10 });
  const openApi = buildOpenApi({ authRequired: auth.required });
  const catalogBody = lookup.describe();
  const prefetch = new LandingPrefetch({ plan: (location) => landingRequests(location, catalogBody, now()), log: deps.log });
  const charts = new ServerCharts({ catalog: catalogBody, now, log: deps.log });
  const drawCharts = deps.serverCharts ?? true;

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', security.trustProxy ?? false);
  app.use(requestId, createHttpMetrics(registry, () => hub.size).middleware, securityHeaders(), urlLimit, cors(corsOrigins), sameOriginWrites(corsOrigins));
  app.use(healthRoute(deps.redis, deps.kafkaHealthy));
  app.use(prometheusRoute(registry, [limit, auth.requireAuth]));

  const api = Router();
  api.use(noStore, limit, express.json({ limit: security.maxBodyBytes ?? 16 * 1024 }));
  api.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  api.get('/session', auth.getSession);
  api.post('/session', loginLimit, jsonOrForm, express.urlencoded({ extended: false, limit: 4096, parameterLimit: 4 }), auth.login);
  api.delete('/session', auth.logout);
  api.use(auth.requireAuth, prefetch.serve);
  api.use(catalogRoutes(ctx), topRoutes(ctx), ipRoutes(ctx), alertRoutes(ctx), streamRoute(hub, feed, deps.log));
  api.use(notFound);
  app.use('/api', api);

  app.use(loginRoutes(safeNext));
  const web = webAppRoutes(deps.webDist, { pageGate: auth.required ? auth.pageGate : undefined, authenticated: auth.isAuthenticated, catalog: catalogBody, prefetch, charts: drawCharts ? charts : undefined });
  if (web) app.use(web);
  app.use(notFound, errorHandler(deps.log));

  return {
    app,
    hub,
    authRequired: auth.required,
    overviewCacheStats: () => ({ hits: overviewCache.hits, misses: overviewCache.misses }),
    prefetchStats: () => prefetch.stats(),
    serverChartStats: () => charts.stats(),
    close: async () => {
      hub.close();
      await feed.stop();
    },
  };
}
