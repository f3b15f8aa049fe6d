import type { CompiledCatalog } from './compileCatalog';
import type { KeyRole, MetricType } from './metricDefinition';

/** A catalog entry as the API lists it. */
export interface MetricListing {
  name: string;
  type: MetricType;
  key: KeyRole;
  unit: string;
  description: string;
  intervals: string[];
  version: number;
  fingerprint: string;
}

/** Lists a compiled catalog for `GET /api/metrics`, in catalog order. */
export function describeCatalog(catalog: CompiledCatalog): MetricListing[] {
  return catalog.metrics.map(({ definition: d, fingerprint }) => ({
    name: d.name,
    type: d.type,
    key: d.key,
    unit: d.unit,
    description: d.description,
    intervals: [...d.intervals],
    version: d.version,
    fingerprint,
  }));
}
