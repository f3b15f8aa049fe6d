import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import { Redis } from 'ioredis';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { ConfigError, loadConfig } from './config/config';
import { createLogger } from './log';
import { createApp } from './http/app';
import { ConnCounts } from './ingest/connCounts';
import { startIngestWorker } from './ingest/ingestWorker';
import { createIngestMetrics } from './ingest/ingestMetrics';
import { catalogSampleMapper } from './ingest/sampleMapper';
import { topicDecoder } from './ingest/decoders';
import { openStore } from './storeSetup';

const log = createLogger('ipscope');

function defaultWebDist(): string | undefined {
  const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');
  return fs.existsSync(path.join(dist, 'index.html')) ? dist : undefined;
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  redis.on('error', (error: Error) => log.warn('redis connection error', { error }));
  await redis.connect();
  const { store, catalog } = openStore(redis, config.prefix);
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
      metrics: createIngestMetrics(registry),
      log: log.child('ingest'),
    });
    stops.push(worker.stop);
    log.info('ingest worker started', { topics: config.topics, group: config.group });
  }
  if (config.roles.includes('api')) {
    const app = createApp({ redis, counts: new ConnCounts(store), log: log.child('http'), webDist: config.webDist ?? defaultWebDist() });
    const server = app.listen(config.port, config.host);
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    log.info('http listening', { url: `http://${config.host}:${port}/` });
    process.stdout.write(`ipscope: listening on http://${config.host}:${port}/\n`);
    stops.push(() => new Promise((r) => server.close(r)));
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log.error('stop failed', { error }));
    await redis.quit().catch(() => undefined);
    log.info('stopped', { signal });
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`ipscope: ${error.message}\n`);
    process.exit(2);
  }
  log.error('start-up failed', { error });
  process.exit(1);
});
