import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { AlertStore } from '@ipscope/detect';
import { describeCatalog, type CompiledCatalog } from '@ipscope/metrics';
import type { Store } from '@ipscope/timeseries';
import type { Logger } from '../log';
import { createApp } from './app';
import type { AlertSource, PeerMetrics } from './deps';
import type { HttpConfig } from './httpConfig';
import { kafkaReachable } from './kafkaProbe';
import { startHttpServer, type RunningServer } from './server';

export interface ApiRoleOptions {
  host: string;
  port: number;
  http: HttpConfig;
  redis: Redis;
  store: Store;
  catalog: CompiledCatalog;
  /** Key prefix of the store; alerts default to `<prefix>:alerts`. */
  prefix: string;
  registry: Registry;
  log: Logger;
  webDist?: string | undefined;
  kafkaHealthy?: () => Promise<boolean>;
  /** Brokers to probe for `/healthz` when no `kafkaHealthy` is given (processes without the ingest role). */
  kafkaBrokers?: readonly string[];
  /** The detector's alert store; default `new AlertStore(redis, {prefix: '<prefix>:alerts'})`. */
  alerts?: AlertSource;
  peers?: PeerMetrics;
}

/**
 * Starts the API role: builds the app's dependencies from the process's shared parts and
 * listens (refusing non-loopback addresses without a token). `close()` ends live streams,
 * the blocking alert-stream connection and the HTTP server.
 */
export async function startApiRole(o: ApiRoleOptions): Promise<RunningServer> {
  const blocking = o.redis.duplicate();
  blocking.on('error', (error: Error) => o.log.warn('redis (live stream reader) connection error', { error }));
  const api = createApp({
    store: o.store,
    catalog: describeCatalog(o.catalog),
    alerts: o.alerts ?? new AlertStore(o.redis, { prefix: `${o.prefix}:alerts` }),
    redis: o.redis,
    log: o.log,
    registry: o.registry,
    security: { token: o.http.token, corsOrigins: o.http.corsOrigins, rateLimit: o.http.rateLimit, loginRateLimit: o.http.loginRateLimit, trustProxy: o.http.trustProxy },
    live: { maxStreams: o.http.maxStreams, blockingConnection: blocking },
    webDist: o.webDist,
    serverCharts: o.http.serverCharts,
    ...(o.kafkaHealthy ? { kafkaHealthy: o.kafkaHealthy } : o.kafkaBrokers ? { kafkaHealthy: kafkaReachable(o.kafkaBrokers) } : {}),
    ...(o.peers ? { peers: o.peers } : {}),
  });
  const running = await startHttpServer(api, { host: o.host, port: o.port, token: o.http.token }).catch(async (error: unknown) => {
    await api.close();
    blocking.disconnect();
    throw error;
  });
  return {
    ...running,
    close: async () => {
      await running.close();
      blocking.disconnect();
    },
  };
}
