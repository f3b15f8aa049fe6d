import type { Redis, Cluster } from 'ioredis';
import { compileCatalog, defaultCatalog, type CompiledCatalog, type MetricDefinition } from '@ipscope/metrics';
import { createStore, type Store, type StoreOptions } from '@ipscope/timeseries';

/** The store's metric table from a catalog: each metric's type and intervals. */
export function storeMetrics(catalog: readonly MetricDefinition[]): StoreOptions['metrics'] {
  return Object.fromEntries(catalog.map((m) => [m.name, { type: m.type, intervals: [...m.intervals] }]));
}

export interface Runtime {
  catalog: CompiledCatalog;
  definitions: readonly MetricDefinition[];
  store: Store;
}

/** Validates the catalog (a bad definition stops start-up naming its field) and opens the store. */
export function openStore(redis: Redis | Cluster, prefix: string, definitions: readonly MetricDefinition[] = defaultCatalog): Runtime {
  const catalog = compileCatalog(definitions);
  const store = createStore(redis, { prefix, metrics: storeMetrics(definitions) });
  return { catalog, definitions, store };
}
