import type { CompiledCatalog } from '@ipscope/metrics';
import type { SampleMapper } from './batchDecoder';

/**
 * Maps events through the catalog; a message naming metrics (a backfill of chosen metrics)
 * goes through the catalog restricted to those, compiled once per distinct list.
 */
export function catalogSampleMapper(catalog: CompiledCatalog): SampleMapper {
  const subsets = new Map<string, CompiledCatalog>();
  return (event, only) => {
    if (only === undefined) return catalog.samples(event);
    let subset = subsets.get(only);
    if (!subset) {
      const names = new Set(only.split(',').map((m) => m.trim()));
      subset = catalog.subset((m) => names.has(m.name));
      if (subsets.size > 100) subsets.clear();
      subsets.set(only, subset);
    }
    return subset.samples(event);
  };
}
