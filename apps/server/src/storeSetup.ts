import type { Redis, Cluster } from 'ioredis';
import { compileCatalog, defaultCatalog, storeMetrics, type CompiledCatalog, type MetricDefinition } from '@ipscope/metrics';
import { createStore, type Store } from '@ipscope/timeseries';

export interface Runtime {
  catalog: CompiledCatalog;
  definitions: readonly MetricDefinition[];
  store: Store;
}

/** Validates the catalog (a bad definition stops start-up naming its field) and opens the store. */
export function openStore(redis: Redis | Cluster, prefix: string, definitions: readonly MetricDefinition[] = defaultCatalog): Runtime {
  const catalog = compileCatalog(definitions);
  const store = createStore(redis, { prefix, metrics: storeMetrics(catalog) });
  return { catalog, definitions, store };
}
