import { Redis } from 'ioredis';
import { describeCatalog, compileCatalog, defaultCatalog } from '@ipscope/metrics';
import { createStore, type Store, type StoreOptions } from '@ipscope/timeseries';
import { AlertStore } from '@ipscope/detect';
import { createApp, type ApiApp } from '../app';
import type { AppDeps } from '../deps';
import { startHttpServer, type RunningServer } from '../server';
import { recordingLogger, type LogEntry } from './recordingLogger';

export interface TestApi {
  base: string;
  api: ApiApp;
  running: RunningServer;
  store: Store;
  alerts: AlertStore;
  redis: Redis;
  logs: LogEntry[];
  prefix: string;
  close(): Promise<void>;
}

/** The store's metric table for the default catalog. */
export function defaultStoreMetrics(): StoreOptions['metrics'] {
  return Object.fromEntries(defaultCatalog.map((m) => [m.name, { type: m.type, intervals: [...m.intervals] }]));
}

/**
 * Starts the real API on 127.0.0.1 (any free port) over a real Redis, with the default
 * catalog, a store and an alert store under a fresh key prefix. `close()` stops the server,
 * deletes every key under the prefix and disconnects.
 */
export async function startTestApi(redisUrl: string, overrides: Partial<AppDeps> & { prefix?: string; store?: Store } = {}): Promise<TestApi> {
  const prefix = overrides.prefix ?? `itapi${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const store = overrides.store ?? createStore(redis, { prefix, metrics: defaultStoreMetrics() });
  const alerts = new AlertStore(redis, { prefix: `${prefix}:alerts` });
  const log = recordingLogger();
  const api = createApp({
    store,
    catalog: describeCatalog(compileCatalog(defaultCatalog)),
    alerts,
    redis,
    log,
    live: { pollMs: 100, heartbeatMs: 60_000 },
    ...overrides,
  });
  const running = await startHttpServer(api, { host: '127.0.0.1', port: 0, token: overrides.security?.token });
  return {
    base: running.url,
    api,
    running,
    store,
    alerts,
    redis,
    logs: log.entries,
    prefix,
    close: async () => {
      await running.close();
      // The store writes `{prefix}newest` with any data and the alert store its stream with any alert; without them there is nothing to delete.
      if ((await redis.exists(`{${prefix}}newest`, `{${prefix}:alerts}:stream`, `{${prefix}:alerts}:alerts`)) > 0) await deleteKeys(redis, `{${prefix}*`);
      await redis.quit();
    },
  };
}

/** Deletes keys matching `pattern` (test clean-up only: SCAN is never used on a request path). */
export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 20_000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}
