/**
 * The API under test, as its own process (one Node process, as in production): the real
 * app over the benchmark's store, rate limit off, errors logged to stderr. Prints
 * `READY <url>` once listening on 127.0.0.1.
 */
import { Redis } from 'ioredis';
import { AlertStore } from '@ipscope/detect';
import { compileCatalog, defaultCatalog, describeCatalog } from '@ipscope/metrics';
import { createStore } from '@ipscope/timeseries';
import { createApp } from '../../apps/server/src/http/app';
import { startHttpServer } from '../../apps/server/src/http/server';
import { defaultStoreMetrics } from '../../apps/server/src/http/testing/harness';
import { createLogger } from '../../apps/server/src/log';

const redisUrl = process.env['REDIS_URL'];
const prefix = process.env['BENCH_PREFIX'];
if (!redisUrl || !prefix) throw new Error('bench/api/server.ts needs REDIS_URL and BENCH_PREFIX');

const redis = new Redis(redisUrl);
const store = createStore(redis, { prefix, metrics: defaultStoreMetrics() });
const api = createApp({
  store,
  catalog: describeCatalog(compileCatalog(defaultCatalog)),
  alerts: new AlertStore(redis, { prefix: `${prefix}:alerts` }),
  redis,
  log: createLogger('bench-api', 'error'),
  security: { rateLimit: 0 },
});
const running = await startHttpServer(api, { host: '127.0.0.1', port: 0, token: undefined });
process.stdout.write(`READY ${running.url}\n`);

const stop = async () => {
  await running.close();
  await redis.quit();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
