import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import type { CompiledCatalog } from '@ipscope/metrics';
import type { Store } from '@ipscope/timeseries';
import { createLogger } from '../../log';
import { openStore } from '../../storeSetup';
import { topicDecoder } from '../decoders';
import { createIngestMetrics } from '../ingestMetrics';
import { startIngestWorker, type IngestWritePath } from '../ingestWorker';
import { catalogSampleMapper } from '../sampleMapper';
import { waitUntilApplied } from './harness';

/**
 * Runs an in-process ingest worker (default catalog, Zeek JSON) over everything in `topic`
 * into the store under `prefix` on the given write path, and stops it once the store's
 * fences hold every message.
 */
export async function ingestOnce(options: { redis: Redis; brokers: string; topic: string; prefix: string; group: string; writePath: IngestWritePath }): Promise<{ store: Store; catalog: CompiledCatalog }> {
  const { store, catalog } = openStore(options.redis, options.prefix);
  const worker = await startIngestWorker({
    brokers: options.brokers.split(','),
    topics: [{ topic: options.topic, format: 'zeek' }],
    group: options.group,
    store,
    connection: options.redis,
    decoderFor: topicDecoder,
    toSamples: catalogSampleMapper(catalog),
    writePath: options.writePath,
    metrics: createIngestMetrics(new Registry()),
    log: createLogger('test', 'error'),
  });
  await waitUntilApplied(store, options.brokers, options.topic);
  await worker.stop();
  return { store, catalog };
}
