import type { CompiledCatalog } from './compileCatalog';
import type { MetricType } from './metricDefinition';

/** How the store must be configured for one metric (packages/timeseries `StoreOptions.metrics` entries). */
export interface StoreMetric {
  type: MetricType;
  intervals: string[];
}

/**
 * The store's `metrics` option for a catalog: name → type and intervals, so
 * the store and the catalog are configured from one source.
 */
export function storeMetrics(catalog: CompiledCatalog): Record<string, StoreMetric> {
  const out: Record<string, StoreMetric> = {};
  for (const { definition } of catalog.metrics) {
    out[definition.name] = { type: definition.type, intervals: [...definition.intervals] };
  }
  return out;
}
