import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import { Redis } from 'ioredis';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { ConfigError, loadConfig } from './config/config';
import { createLogger } from './log';
import { startApiRole } from './http/apiRole';
import { loadHttpConfig } from './http/httpConfig';
import { startIngestWorker } from './ingest/ingestWorker';
import { createIngestMetrics } from './ingest/ingestMetrics';
import { catalogSampleMapper } from './ingest/sampleMapper';
import { writePathFromEnv } from './ingest/writePath';
import { topicDecoder } from './ingest/decoders';
import { StoredLayoutError } from '@ipscope/timeseries';
import { openStore } from './storeSetup';
import { catalogFromEnv } from './catalogSelection';
import { startDetectRole } from './detect/detectRole';

const log = createLogger('ipscope');

function defaultWebDist(): string | undefined {
  const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');
  return fs.existsSync(path.join(dist, 'index.html')) ? dist : undefined;
}

/**
 * SIGTERM/SIGINT handling from the first line of start-up: a signal that arrives while the roles
 * are still starting (a worker can already be consuming) is kept and acted on as soon as start-up
 * returns, so a stop request is never lost to the default handler's hard exit. A second signal
 * while stopping exits at once with code 1.
 */
let stopRequested: string | undefined;
let shutdown: ((signal: string) => Promise<void>) | undefined;
/** 1 after a failure no retry fixes (the ingest worker's `onFatal`): the process stops the same way and exits 1. */
let exitCode = 0;
function onSignal(signal: string): void {
  if (stopRequested !== undefined) {
    log.warn('second signal while stopping: exiting now', { signal });
    process.exit(1);
  }
  stopRequested = signal;
  if (shutdown) void shutdown(signal);
}
process.on('SIGTERM', () => onSignal('SIGTERM'));
process.on('SIGINT', () => onSignal('SIGINT'));

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const writePath = writePathFromEnv(process.env);
  const definitions = catalogFromEnv(process.env);
  const http = config.roles.includes('api') ? loadHttpConfig(process.env, config.host) : undefined;
  const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  redis.on('error', (error: Error) => log.warn('redis connection error', { error }));
  await redis.connect();
  const { store, catalog } = openStore(redis, config.prefix, definitions);
  // Keys of another stored layout under the prefix stop start-up here, not at the first request.
  await store.open().catch((error: unknown) => {
    throw error instanceof StoredLayoutError ? new ConfigError('IPSCOPE_PREFIX', error.message) : error;
  });
  let kafkaHealthy: (() => Promise<boolean>) | undefined;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ipscope_process_' });
  const stops: Array<() => Promise<unknown>> = [];

  if (config.roles.includes('ingest')) {
    const worker = await startIngestWorker({
      brokers: config.kafkaBrokers,
      topics: config.topics,
      group: config.group,
      fetchBytes: config.fetchBytes,
      store,
      connection: redis,
      decoderFor: topicDecoder,
      toSamples: catalogSampleMapper(catalog),
      writePath,
      metrics: createIngestMetrics(registry),
      log: log.child('ingest'),
      onFatal: () => {
        exitCode = 1;
        onSignal('ingest failure');
      },
    });
    stops.push(worker.stop);
    kafkaHealthy = worker.healthy;
    log.info('ingest worker started', { topics: config.topics, group: config.group });
  }
  if (config.roles.includes('detect')) {
    const detect = startDetectRole({
      redis,
      store,
      catalog,
      prefix: config.prefix,
      log: log.child('detect'),
      webhookUrl: config.webhookUrl,
      threshold: config.alertThreshold,
    });
    stops.push(detect.stop);
    log.info('detector started', { threshold: config.alertThreshold ?? 'default', webhook: Boolean(config.webhookUrl) });
  }
  if (http) {
    const api = await startApiRole({
      host: config.host,
      port: config.port,
      http,
      redis,
      store,
      catalog,
      prefix: config.prefix,
      registry,
      log: log.child('http'),
      webDist: config.webDist ?? defaultWebDist(),
      peers: { out: 'conn.peer.orig', in: 'conn.peer.resp', outBytes: 'conn.peer.orig.bytes', inBytes: 'conn.peer.resp.bytes' },
      ...(kafkaHealthy ? { kafkaHealthy } : { kafkaBrokers: config.kafkaBrokers }),
    });
    log.info('http listening', { url: `${api.url}/` });
    process.stdout.write(`ipscope: listening on ${api.url}/\n`);
    stops.push(() => api.close());
  }

  shutdown = async (signal: string) => {
    log.info('shutting down', { signal });
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log.error('stop failed', { error }));
    await redis.quit().catch(() => undefined);
    log.info('stopped', { signal, exitCode });
    process.exit(exitCode);
  };
  if (stopRequested !== undefined) await shutdown(stopRequested);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`ipscope: ${error.message}\n`);
    process.exit(2);
  }
  log.error('start-up failed', { error });
  process.exit(1);
});
